import { Rng } from "@scm/backend";
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { FidInputError } from "./errors.js";
import { FeatureStatsAccumulator, featureStats } from "./feature-stats.js";
import { maxAbsDiff } from "./testing/matrices.js";

describe("featureStats", () => {
  it("computes the mean and the N−1 covariance of a hand-sized set", () => {
    // x = (1, 3, 5), y = (2, 4, 0): mean (3, 2); var x = (4+0+4)/2 = 4, var y = (0+4+4)/2 = 4,
    // cov = ((−2)(0) + (0)(2) + (2)(−2))/2 = −2. Small integers: exact in float64.
    const { mu, sigma } = featureStats(ndarray(new Float32Array([1, 2, 3, 4, 5, 0]), [3, 2]));
    expect(Array.from(mu.data)).toEqual([3, 2]);
    expect(Array.from(sigma.data)).toEqual([4, -2, -2, 4]);
  });

  it("reads strided views (a transposed ndarray) like their contents", () => {
    // the transpose of [[1, 3, 5], [2, 4, 0]] is the set above
    const view = ndarray(new Float64Array([1, 3, 5, 2, 4, 0]), [2, 3]).transpose(1, 0);
    expect(Array.from(featureStats(view).sigma.data)).toEqual([4, -2, -2, 4]);
  });

  it("is unaffected by a large common offset (centred accumulation)", () => {
    const n = 500;
    const d = 7;
    const x = Rng.seeded(1).fillNormal(new Float64Array(n * d));
    const shifted = x.map((v) => v + 1e6);
    const a = featureStats(ndarray(x, [n, d]));
    const b = featureStats(ndarray(shifted, [n, d]));
    // adding 1e6 loses ~1e6·ε ≈ 2e-10 per entry; centred sums keep the covariance to that level
    expect(maxAbsDiff(a.sigma.data, b.sigma.data)).toBeLessThan(1e-8);
  });

  it("rejects a one-row set and non-finite values", () => {
    expect(() => featureStats(ndarray(new Float64Array(3), [1, 3]))).toThrow(FidInputError);
    expect(() => featureStats(ndarray(new Float64Array([0, Number.NaN, 1, 2]), [2, 2]))).toThrow(
      /non-finite/,
    );
  });
});

describe("FeatureStatsAccumulator", () => {
  it("gives the one-shot statistics when fed in uneven batches, across 256-row blocks", () => {
    const n = 700;
    const d = 9;
    const x = Rng.seeded(2).fillNormal(new Float64Array(n * d), 3, 2);
    const whole = featureStats(ndarray(x, [n, d]));
    const acc = new FeatureStatsAccumulator(d);
    for (const [lo, hi] of [
      [0, 3],
      [3, 300],
      [300, 700],
    ] as const) {
      acc.add(ndarray(x.subarray(lo * d, hi * d), [hi - lo, d]));
    }
    const streamed = acc.finish();
    // same sums in a different order around a different shift: agreement to ~1e-13 of the variance (4)
    expect(maxAbsDiff(streamed.mu.data, whole.mu.data)).toBeLessThan(1e-12);
    expect(maxAbsDiff(streamed.sigma.data, whole.sigma.data)).toBeLessThan(1e-11);
    expect(acc.count).toBe(n);
  });

  it("rejects rows of another dimension with a message naming both", () => {
    const acc = new FeatureStatsAccumulator(4);
    expect(() => acc.add(ndarray(new Float64Array(6), [2, 3]), "batch 2")).toThrow(
      "batch 2 has 3 features per row; expected 4",
    );
  });
});
