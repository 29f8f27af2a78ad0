import { Rng } from "@scm/backend";
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { FidInputError } from "./errors.js";
import { kernelInceptionDistance, unbiasedMmd2 } from "./kid.js";

// The O(n²) definition written out pair by pair (Gretton et al. 2012, Eq. 3).
function directMmd2(x: number[][], y: number[][]): number {
  const d = x[0]!.length;
  const k = (u: number[], v: number[]) => (u.reduce((s, ui, i) => s + ui * v[i]!, 0) / d + 1) ** 3;
  const m = x.length;
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      if (i !== j) {
        xx += k(x[i]!, x[j]!);
        yy += k(y[i]!, y[j]!);
      }
      xy += k(x[i]!, y[j]!);
    }
  return xx / (m * (m - 1)) + yy / (m * (m - 1)) - (2 * xy) / (m * m);
}

// The biased V-statistic: every pair, diagonals included, over m².
function vStatistic(x: number[][], y: number[][]): number {
  const d = x[0]!.length;
  const k = (u: number[], v: number[]) => (u.reduce((s, ui, i) => s + ui * v[i]!, 0) / d + 1) ** 3;
  const m = x.length;
  let sum = 0;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) sum += k(x[i]!, x[j]!) + k(y[i]!, y[j]!) - 2 * k(x[i]!, y[j]!);
  return sum / (m * m);
}

const rows = (flat: Float64Array, d: number) =>
  Array.from({ length: flat.length / d }, (_, i) => Array.from(flat.subarray(i * d, i * d + d)));

describe("kernelInceptionDistance", () => {
  it("equals the direct pairwise MMD² when one subset holds every row", () => {
    const m = 30;
    const d = 5;
    const rng = Rng.seeded(1);
    const x = rng.fillNormal(new Float64Array(m * d));
    const y = rng.fillNormal(new Float64Array(m * d), 0.3, 1.2);
    const kid = kernelInceptionDistance(ndarray(x, [m, d]), ndarray(y, [m, d]), {
      subsets: 1,
      subsetSize: m,
    });
    // a permutation of the rows does not change the estimate; the blocked Gram sums in another order: ~1e-15
    expect(kid.mean).toBeCloseTo(directMmd2(rows(x, d), rows(y, d)), 12);
    expect(kid.std).toBe(0);
  });

  it("is unbiased: over independent draws of one distribution its estimates average to 0", () => {
    // K independent pairs of sets of m = 8 points in 2-D from N(0, I): the unbiased MMD² has expectation
    // 0 exactly; the biased V-statistic (diagonals kept, /m²) has expectation 2(E k(x,x) − E k(x,x'))/m > 0
    const k = 400;
    const m = 8;
    const d = 2;
    const rng = Rng.seeded(2);
    const unbiased: number[] = [];
    const biased: number[] = [];
    for (let r = 0; r < k; r++) {
      const x = rng.fillNormal(new Float64Array(m * d));
      const y = rng.fillNormal(new Float64Array(m * d));
      unbiased.push(unbiasedMmd2(x, y, m, d, { degree: 3, gamma: 1 / d, coef0: 1 }));
      biased.push(vStatistic(rows(x, d), rows(y, d)));
    }
    const mean = (v: number[]) => v.reduce((s, e) => s + e, 0) / v.length;
    const stdError = (v: number[]) =>
      Math.sqrt(v.reduce((s, e) => s + (e - mean(v)) ** 2, 0) / (v.length - 1) / v.length);
    // within 3 standard errors of 0, while the biased estimator is many standard errors above it
    expect(Math.abs(mean(unbiased))).toBeLessThan(3 * stdError(unbiased));
    expect(mean(biased)).toBeGreaterThan(10 * stdError(biased));
  });

  it("grows with a mean shift as the closed form of the cubic kernel on 1-D points", () => {
    // x = {0, 1}, y = {c, c+1} (d = 1, k = (uv + 1)³): direct formula, checked by unbiasedMmd2 itself
    const c = 0.5;
    const x = new Float64Array([0, 1]);
    const y = new Float64Array([c, c + 1]);
    const k = (u: number, v: number) => (u * v + 1) ** 3;
    const expected =
      (2 * k(0, 1)) / 2 + (2 * k(c, c + 1)) / 2 - (2 * (k(0, c) + k(0, c + 1) + k(1, c) + k(1, c + 1))) / 4;
    // a handful of float64 operations
    expect(unbiasedMmd2(x, y, 2, 1, { degree: 3, gamma: 1, coef0: 1 })).toBeCloseTo(expected, 13);
  });

  it("rejects a subset larger than a set", () => {
    const z = ndarray(new Float64Array(10), [5, 2]);
    expect(() => kernelInceptionDistance(z, z, { subsetSize: 6 })).toThrow(FidInputError);
  });
});
