import { Rng } from "@scm/backend";
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { featureStats } from "./feature-stats.js";
import { symmetricEigen } from "./symmetric-eigen.js";
import { maxAbsDiff, naiveMatmul, randomOrthogonal, withSpectrum } from "./testing/matrices.js";

function randomSymmetric(n: number, seed: number): Float64Array {
  const g = Rng.seeded(seed).fillNormal(new Float64Array(n * n));
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = g[i * n + j]! + g[j * n + i]!;
  return a;
}

describe("symmetricEigen", () => {
  it("returns the diagonal of a diagonal matrix, sorted, with unit vectors", () => {
    const a = new Float64Array([3, 0, 0, 0, -1, 0, 0, 0, 2]);
    const { values, vectors } = symmetricEigen(a, 3, { vectors: true });
    // exact: no rotation is needed, so no rounding happens
    expect(Array.from(values)).toEqual([-1, 2, 3]);
    expect(Array.from(vectors!).map(Math.abs)).toEqual([0, 1, 0, 0, 0, 1, 1, 0, 0]);
  });

  it("solves the 2×2 case [[2,1],[1,2]] as 1 and 3", () => {
    const { values, vectors } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2, { vectors: true });
    // closed form λ = 2 ± 1, v = (1, ∓1)/√2; a few ulps of rounding
    expect(values[0]).toBeCloseTo(1, 14);
    expect(values[1]).toBeCloseTo(3, 14);
    expect(Math.abs(vectors![0]! + vectors![1]!)).toBeLessThan(1e-15);
    expect(Math.abs(vectors![2]! - vectors![3]!)).toBeLessThan(1e-15);
  });

  it("recovers a prescribed spectrum, repeated and zero eigenvalues included", () => {
    const n = 40;
    const spectrum = Array.from({ length: n }, (_, i) => (i < 10 ? 0 : i < 15 ? 2.5 : i * 0.37 - 3));
    const a = withSpectrum(randomOrthogonal(n, 1), spectrum, n);
    const { values } = symmetricEigen(a, n);
    const expected = [...spectrum].sort((x, y) => x - y);
    // backward stable: errors ≲ n·ε·‖A‖ ≈ 40 · 2.2e-16 · 12 ≈ 1e-13
    expect(maxAbsDiff(values, expected)).toBeLessThan(1e-12);
  });

  it("gives orthonormal eigenvectors with A·v = λ·v on a random symmetric matrix", () => {
    const n = 57;
    const a = randomSymmetric(n, 2);
    const { values, vectors } = symmetricEigen(a, n, { vectors: true });
    const v = vectors!;
    // V·Vᵀ = I
    const vvt = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += v[i * n + k]! * v[j * n + k]!;
        vvt[i * n + j] = s;
      }
    const eye = new Float64Array(n * n);
    for (let i = 0; i < n; i++) eye[i * n + i] = 1;
    // orthogonal transformations in float64: errors ~ n·ε ≈ 1e-14
    expect(maxAbsDiff(vvt, eye)).toBeLessThan(1e-12);
    // A·vⱼ − λⱼ·vⱼ, with ‖A‖ ≈ 2√(2n) ≈ 21: residual ≲ n·ε·‖A‖ ≈ 3e-13
    const av = naiveMatmul(v, a, n, n, n); // row j = vⱼᵀ·A = (A·vⱼ)ᵀ since A is symmetric
    let residual = 0;
    for (let j = 0; j < n; j++)
      for (let k = 0; k < n; k++)
        residual = Math.max(residual, Math.abs(av[j * n + k]! - values[j]! * v[j * n + k]!));
    expect(residual).toBeLessThan(1e-11);
  });

  it("keeps the trace and the Frobenius norm (sum of λ and of λ²)", () => {
    const n = 64;
    const a = randomSymmetric(n, 3);
    const { values } = symmetricEigen(a, n);
    let trace = 0;
    let frob2 = 0;
    for (let i = 0; i < n; i++) trace += a[i * n + i]!;
    for (const x of a) frob2 += x * x;
    // similarity transforms keep both invariants; float64 rounding over n² terms ≈ 1e-12 relative
    expect(values.reduce((s, x) => s + x, 0)).toBeCloseTo(trace, 10);
    expect(values.reduce((s, x) => s + x * x, 0) / frob2).toBeCloseTo(1, 12);
  });

  it("converges on a singular covariance with zero rows (dead ReLU features, N < D)", () => {
    // Regression: the covariance of 30 samples of 128 ReLU features of a rank-20 mix, every ninth
    // feature dead: a null space of ~100 rounding-level eigenvalues, where a deflation test relative
    // to |d[m]| + |d[m+1]| never passed (the solver threw on every seed tried).
    const n = 30;
    const d = 128;
    const k = 20;
    const rng = Rng.seeded(0);
    const mix = rng.fillNormal(new Float64Array(k * d));
    const z = rng.fillNormal(new Float64Array(n * k));
    const x = new Float64Array(n * d);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) {
        let s = -0.5;
        for (let q = 0; q < k; q++) s += z[i * k + q]! * mix[q * d + j]!;
        x[i * d + j] = (j * 7) % 9 === 0 ? 0 : Math.max(0, s) * (1 + (j % 5));
      }
    const a = featureStats(ndarray(x, [n, d])).sigma.data;
    const { values, vectors } = symmetricEigen(a, d, { vectors: true });
    const v = vectors!;
    const av = naiveMatmul(v, a, d, d, d);
    let residual = 0;
    for (let j = 0; j < d; j++)
      for (let c = 0; c < d; c++)
        residual = Math.max(residual, Math.abs(av[j * d + c]! - values[j]! * v[j * d + c]!));
    // backward error of order ε·‖A‖ (‖A‖ = λmax); allow d·ε·λmax
    expect(residual / values[d - 1]!).toBeLessThan(d * Number.EPSILON);
    // rank ≤ n − 1 (centred): at least d − n + 1 eigenvalues vanish up to rounding
    expect(values.filter((l) => Math.abs(l) < 1e-12 * values[d - 1]!).length).toBeGreaterThanOrEqual(
      d - n + 1,
    );
  });

  it("reads only the lower triangle", () => {
    const a = new Float64Array([4, 99, 1, 4]); // upper entry ignored: [[4,1],[1,4]]
    const { values } = symmetricEigen(a, 2);
    // eigenvalues of [[4,1],[1,4]] are 3 and 5
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(5, 14);
  });

  it("handles n = 0 and n = 1", () => {
    expect(symmetricEigen(new Float64Array(0), 0).values.length).toBe(0);
    const one = symmetricEigen(new Float64Array([7]), 1, { vectors: true });
    expect(Array.from(one.values)).toEqual([7]);
    expect(Array.from(one.vectors!)).toEqual([1]);
  });
});
