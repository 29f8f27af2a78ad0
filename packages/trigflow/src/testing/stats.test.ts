import { tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { linearFit, maxRelativeError, sampleMean, sampleStd } from "./stats.js";

describe("sampleStd / sampleMean", () => {
  it("match hand-computed values of [1, 2, 3, 4]", () => {
    const x = tf.tensor1d([1, 2, 3, 4]);
    expect(sampleMean(x)).toBe(2.5);
    expect(sampleStd(x)).toBeCloseTo(Math.sqrt(5 / 3), 15); // Σ(x − 2.5)² = 5, n − 1 = 3
    x.dispose();
  });
});

describe("linearFit", () => {
  it("finds the slope of an exact line with zero residual, and the worst miss otherwise", () => {
    expect(linearFit([2, -4, 6], [1, -2, 3])).toEqual({ slope: 2, residual: 0 });
    const fit = linearFit([1, 0], [1, 1]); // slope 1/2; misses by 1/2 on each, max|slope·x| = 1/2
    expect(fit.slope).toBe(0.5);
    expect(fit.residual).toBe(1);
  });
});

describe("maxRelativeError", () => {
  it("is max|a − e|/max|e| and rejects different lengths", () => {
    expect(maxRelativeError([1, 2.5], [1, 2])).toBe(0.25);
    expect(() => maxRelativeError([1], [1, 2])).toThrow(/^actual has 1 elements; expected 2\.$/);
  });
});
