import { describe, expect, it } from "vitest";
import type { Dataset } from "./dataset.js";
import { splitDataset } from "./split.js";

const ds: Dataset = {
  x: Float32Array.from({ length: 100 }, (_, i) => i),
  sampleShape: [1],
  n: 100,
  labels: Int32Array.from({ length: 100 }, (_, i) => i % 10),
  numClasses: 10,
  name: "ramp",
};

describe("splitDataset", () => {
  it("partitions the samples into disjoint parts that keep the original order", () => {
    const { train, heldOut } = splitDataset(ds, { heldOut: 20, seed: 3 });
    expect(train.n).toBe(80);
    expect(heldOut.n).toBe(20);
    const all = [...train.x, ...heldOut.x].sort((a, b) => a - b);
    expect(all).toEqual(Array.from(ds.x));
    expect([...train.x]).toEqual([...train.x].sort((a, b) => a - b));
    // labels follow their samples: label = value mod 10
    heldOut.x.forEach((v, i) => {
      expect(heldOut.labels?.[i]).toBe(v % 10);
    });
    expect(heldOut.name).toBe("ramp-heldout");
  });

  it("is deterministic for a seed and takes fractions of n", () => {
    const a = splitDataset(ds, { heldOut: 0.1, seed: 1 }).heldOut;
    const b = splitDataset(ds, { heldOut: 0.1, seed: 1 }).heldOut;
    const c = splitDataset(ds, { heldOut: 0.1, seed: 2 }).heldOut;
    expect(a.n).toBe(10); // round(0.1 · 100)
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect(Array.from(c.x)).not.toEqual(Array.from(a.x));
  });

  it("rejects a held-out size that leaves a part empty", () => {
    expect(() => splitDataset(ds, { heldOut: 100 })).toThrow(
      /heldOut is 100 for dataset "ramp" of 100 samples/,
    );
  });
});
