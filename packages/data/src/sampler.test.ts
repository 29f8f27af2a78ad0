import { tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import type { Dataset } from "./dataset.js";
import { BatchSampler } from "./sampler.js";

// 10 samples of shape [2]: sample i is (i, -i), label i % 3
function tiny(): Dataset {
  const x = new Float32Array(20);
  for (let i = 0; i < 10; i++) {
    x[2 * i] = i;
    x[2 * i + 1] = -i;
  }
  return {
    x,
    sampleShape: [2],
    n: 10,
    labels: Int32Array.from({ length: 10 }, (_, i) => i % 3),
    numClasses: 3,
    name: "tiny",
  };
}

describe("BatchSampler", () => {
  it("visits every sample exactly once per epoch, batches running across epochs", () => {
    const s = new BatchSampler(tiny(), { batchSize: 4, seed: 5 });
    const seen: number[] = [];
    for (let k = 0; k < 5; k++) seen.push(...s.next().indices); // 20 draws = 2 epochs
    expect(s.epoch).toBe(2);
    expect([...seen.slice(0, 10)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...seen.slice(10)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen.slice(0, 10)).not.toEqual(seen.slice(10)); // each epoch has its own permutation
  });

  it("returns the samples and labels of its indices", () => {
    const b = new BatchSampler(tiny(), { batchSize: 6, seed: 1 }).next();
    expect(b.shape).toEqual([6, 2]);
    b.indices.forEach((j, i) => {
      expect(b.x[2 * i]).toBe(j);
      expect(b.x[2 * i + 1]).toBe(-j);
      expect(b.labels?.[i]).toBe(j % 3);
    });
  });

  it("resumes from a saved state with bit-identical next batches", () => {
    const ds = tiny();
    for (const k of [0, 3, 5, 7]) {
      const a = new BatchSampler(ds, { batchSize: 3, seed: 9 });
      for (let i = 0; i < k; i++) a.next();
      // the state goes through JSON, as it does in a checkpoint's state.json
      const saved = JSON.parse(JSON.stringify(a.state()));
      const b = new BatchSampler(ds, { batchSize: 3, state: saved });
      for (let i = 0; i < 8; i++) {
        const ba = a.next();
        const bb = b.next();
        expect(Array.from(bb.indices)).toEqual(Array.from(ba.indices));
        expect(Buffer.from(bb.x.buffer).equals(Buffer.from(ba.x.buffer))).toBe(true);
      }
      expect(b.state()).toEqual(a.state());
    }
  });

  it("draws the same batches for the same seed", () => {
    const a = new BatchSampler(tiny(), { batchSize: 4, seed: 2 });
    const b = new BatchSampler(tiny(), { batchSize: 4, seed: 2 });
    const c = new BatchSampler(tiny(), { batchSize: 4, seed: 3 });
    const ia = Array.from(a.next().indices);
    expect(Array.from(b.next().indices)).toEqual(ia);
    expect(Array.from(c.next().indices)).not.toEqual(ia);
  });

  it("serves a batch larger than the dataset from consecutive epochs", () => {
    const s = new BatchSampler(tiny(), { batchSize: 25, seed: 0 });
    const idx = Array.from(s.next().indices);
    expect(s.state().epoch).toBe(2);
    expect(s.state().position).toBe(5);
    expect(idx.slice(0, 10).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("returns tensors equal to the host batch and leaks none", () => {
    const before = tf.memory().numTensors;
    const a = new BatchSampler(tiny(), { batchSize: 4, seed: 4 });
    const b = new BatchSampler(tiny(), { batchSize: 4, seed: 4 });
    const t = a.nextTensors();
    const h = b.next();
    expect(t.x.shape).toEqual([4, 2]);
    expect(t.x.dtype).toBe("float32");
    expect(Array.from(t.x.dataSync())).toEqual(Array.from(h.x));
    expect(t.labels?.dtype).toBe("int32");
    expect(Array.from(t.labels?.dataSync() ?? [])).toEqual(Array.from(h.labels ?? []));
    t.x.dispose();
    t.labels?.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("rejects a bad batch size and a state outside the dataset", () => {
    expect(() => new BatchSampler(tiny(), { batchSize: 0 })).toThrow(
      /batchSize is 0; expected a positive integer/,
    );
    const state = new BatchSampler(tiny(), { batchSize: 2 }).state();
    expect(() => new BatchSampler(tiny(), { batchSize: 2, state: { ...state, position: 10 } })).toThrow(
      /position 10; expected .* position in 0\.\.9 for dataset "tiny"/,
    );
  });
});
