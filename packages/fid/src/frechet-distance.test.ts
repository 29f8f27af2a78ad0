import { readFileSync } from "node:fs";
import { Rng } from "@scm/backend";
import { decodeNpz } from "@scm/io";
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import type { NumericNdArray } from "./arrays.js";
import { FidInputError } from "./errors.js";
import { featureStats } from "./feature-stats.js";
import { frechetDistance, frechetDistanceDetails } from "./frechet-distance.js";
import { symmetricEigen } from "./symmetric-eigen.js";
import { naiveMatmul, randomOrthogonal, withSpectrum } from "./testing/matrices.js";

const stats = (mu: number[] | Float64Array, sigma: number[] | Float64Array) => ({
  mu: ndarray(Float64Array.from(mu), [mu.length]),
  sigma: ndarray(Float64Array.from(sigma), [mu.length, mu.length]),
});

function gaussianSamples(n: number, mu: Float64Array, cholesky: Float64Array, seed: number): Float64Array {
  const d = mu.length;
  const z = Rng.seeded(seed).fillNormal(new Float64Array(n * d));
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++) {
      let s = mu[a]!;
      for (let b = 0; b <= a; b++) s += cholesky[a * d + b]! * z[i * d + b]!;
      x[i * d + a] = s;
    }
  return x;
}

describe("frechetDistance", () => {
  it("equals ‖Δμ‖² + Σ(√a − √b)² for diagonal covariances", () => {
    const a = [1, 4, 9, 0.25, 0];
    const b = [4, 1, 9, 1, 2];
    const diag = (v: number[]) => v.flatMap((x, i) => v.map((_, j) => (i === j ? x : 0)));
    const mu1 = [0, 1, 2, 3, 4];
    const mu2 = [1, 1, 2, 3, 2];
    // ‖Δμ‖² = 1 + 4 = 5; Σ(√a−√b)² = 1 + 1 + 0 + 0.25 + 2 = 4.25
    const fid = frechetDistance(stats(mu1, diag(a)), stats(mu2, diag(b)));
    // two 5×5 eigenproblems in float64: ~1e-15 relative, 1e-12 is ample
    expect(fid).toBeCloseTo(9.25, 12);
  });

  it("matches the 2×2 closed form Tr√(Σ1Σ2) = √(Tr Σ1Σ2 + 2√(det Σ1·det Σ2)) for non-commuting Σ", () => {
    const s1 = [2, 1, 1, 3];
    const s2 = [1, -0.5, -0.5, 4];
    // Σ1Σ2 = [[2−0.5, −1+4], [1−1.5, −0.5+12]] = [[1.5, 3], [−0.5, 11.5]]: trace 13; det Σ1 = 5, det Σ2 = 3.75
    const trSqrt = Math.sqrt(13 + 2 * Math.sqrt(5 * 3.75));
    const expected = 5 + 5 - 2 * trSqrt; // μ equal
    const details = frechetDistanceDetails(stats([1, 1], s1), stats([1, 1], s2));
    expect(details.traceSqrtProduct).toBeCloseTo(trSqrt, 13);
    expect(details.fid).toBeCloseTo(expected, 12);
  });

  it("gives (1 − √c)²·Tr Σ for Σ2 = c·Σ1 and Tr Σ1 + Tr Σ1⁻¹ − 2D for Σ2 = Σ1⁻¹ (full 24×24 Σ)", () => {
    const d = 24;
    const q = randomOrthogonal(d, 5);
    const spectrum = Array.from({ length: d }, (_, i) => 0.1 + i * 0.3);
    const s1 = withSpectrum(q, spectrum, d);
    const s1inv = withSpectrum(
      q,
      spectrum.map((l) => 1 / l),
      d,
    );
    const mu = new Float64Array(d);
    const trace = spectrum.reduce((s, l) => s + l, 0);
    const traceInv = spectrum.reduce((s, l) => s + 1 / l, 0);
    const c = 2.25;
    // relative accuracy ~ d·ε·cond ≈ 24 · 2e-16 · 70 ≈ 4e-13
    expect(
      frechetDistance(
        stats(mu, s1),
        stats(
          mu,
          s1.map((x) => c * x),
        ),
      ),
    ).toBeCloseTo((1 - 1.5) ** 2 * trace, 9);
    expect(frechetDistance(stats(mu, s1), stats(mu, s1inv))).toBeCloseTo(trace + traceInv - 2 * d, 9);
  });

  it("estimates the analytic FID of two Gaussians from samples", () => {
    // Σ = LLᵀ with L1 = [[1,0,0],[0.5,1,0],[0,0.3,0.8]], L2 = 1.2·I; μ1 = 0, μ2 = (1, 0, −1)
    const l1 = new Float64Array([1, 0, 0, 0.5, 1, 0, 0, 0.3, 0.8]);
    const l2 = new Float64Array([1.2, 0, 0, 0, 1.2, 0, 0, 0, 1.2]);
    const mu1 = new Float64Array(3);
    const mu2 = new Float64Array([1, 0, -1]);
    const sigma = (l: Float64Array) => {
      const lt = new Float64Array(9);
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) lt[i * 3 + j] = l[j * 3 + i]!;
      return naiveMatmul(l, lt, 3, 3, 3);
    };
    const analytic = frechetDistance(stats(mu1, sigma(l1)), stats(mu2, sigma(l2)));
    // Σ2 = 1.44·I commutes with Σ1, so Tr√(Σ1Σ2) = 1.2·Tr Σ1^{1/2}: check the exact value first
    const s1 = symmetricEigen(sigma(l1), 3).values;
    const exact =
      2 + s1.reduce((s, l) => s + l, 0) + 3 * 1.44 - 2 * 1.2 * s1.reduce((s, l) => s + Math.sqrt(l), 0);
    expect(analytic).toBeCloseTo(exact, 12);
    const n = 20000;
    const x = featureStats(ndarray(gaussianSamples(n, mu1, l1, 11), [n, 3]));
    const y = featureStats(ndarray(gaussianSamples(n, mu2, l2, 12), [n, 3]));
    // sampling error: the mean term fluctuates by ~2·‖Δμ‖·√(2·1.5/n) ≈ 0.035, the trace term by
    // ~1/√n per entry ≈ 0.01; 0.1 is about 3 standard deviations
    expect(Math.abs(frechetDistance(x, y) - analytic)).toBeLessThan(0.1);
  });

  it("is 0 between a set and itself, symmetric, and invariant to rotating the features", () => {
    const n = 300;
    const d = 20;
    const rng = Rng.seeded(3);
    const x = rng.fillNormal(new Float64Array(n * d));
    const y = rng.fillNormal(new Float64Array(n * d)).map((v, i) => v * (1 + (i % d) / d) + 0.1);
    const q = randomOrthogonal(d, 4);
    const rot = (m: Float64Array) => naiveMatmul(m, q, n, d, d); // rows xᵢᵀ·Q
    const sx = featureStats(ndarray(x, [n, d]));
    const sy = featureStats(ndarray(y, [n, d]));
    const fid = frechetDistance(sx, sy);
    const self = frechetDistanceDetails(sx, sx);
    // FID(X, X): 2·Tr Σ − 2·Σ√(λ²); the √ of eigenvalues near 0 of Σ² amplifies rounding to ~√ε·λmax,
    // so the tolerance is relative to Tr Σ ≈ 20: 1e-7 · 20
    expect(self.meanTerm).toBe(0);
    expect(Math.abs(self.meanTerm + self.traceTerm)).toBeLessThan(2e-6);
    // swapping the arguments changes the eigenproblems but not the value: agreement to ~1e-12 relative
    expect(frechetDistance(sy, sx)).toBeCloseTo(fid, 9);
    const rotated = frechetDistance(
      featureStats(ndarray(rot(x), [n, d])),
      featureStats(ndarray(rot(y), [n, d])),
    );
    expect(rotated).toBeCloseTo(fid, 9);
    expect(fid).toBeGreaterThan(1); // the sets do differ: variances up to 1.95² and a mean shift
  });

  it("stays exact when N < D (singular covariances), against the nuclear norm of AᵀB", () => {
    // Σ1 = AAᵀ, Σ2 = BBᵀ with A = X_cᵀ/√(N−1): Tr√(Σ1Σ2) = ‖AᵀB‖_* (the singular values of the
    // small N×M matrix AᵀB are the square roots of the nonzero eigenvalues of Σ1Σ2)
    const d = 60;
    const n = 12;
    const m = 9;
    const rng = Rng.seeded(6);
    const x = rng.fillNormal(new Float64Array(n * d));
    const y = rng.fillNormal(new Float64Array(m * d), 0.5, 2);
    const sx = featureStats(ndarray(x, [n, d]));
    const sy = featureStats(ndarray(y, [m, d]));
    const centred = (v: Float64Array, rows: number, mean: Float64Array) =>
      v.map((e, i) => (e - mean[i % d]!) / Math.sqrt(rows - 1));
    const a = centred(x, n, sx.mu.data); // [n, d] = Aᵀ
    const b = centred(y, m, sy.mu.data); // [m, d] = Bᵀ
    const bt = new Float64Array(d * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) bt[j * m + i] = b[i * d + j]!;
    const atb = naiveMatmul(a, bt, n, d, m); // [n, m]
    const atbT = new Float64Array(m * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) atbT[j * n + i] = atb[i * m + j]!;
    const gram = naiveMatmul(atbT, atb, m, n, m); // [m, m]
    const nuclear = symmetricEigen(gram, m).values.reduce((s, v) => s + Math.sqrt(Math.max(v, 0)), 0);
    const details = frechetDistanceDetails(sx, sy);
    // Σ1 has rank 11 of 60: its 49 zero eigenvalues come out as ±1e-15; the result keeps ~1e-7
    // relative accuracy (the √ of rounding-level eigenvalues, see above)
    expect(details.traceSqrtProduct).toBeCloseTo(nuclear, 5);
    expect(Number.isFinite(details.fid)).toBe(true);
    expect(details.worstClippedRelative).toBeGreaterThan(-1e-12);
  });

  it("rejects mismatched dimensions with a message naming both", () => {
    expect(() =>
      frechetDistance(stats([0, 0], [1, 0, 0, 1]), stats([0, 0, 0], [1, 0, 0, 0, 1, 0, 0, 0, 1])),
    ).toThrow(FidInputError);
    expect(() =>
      frechetDistance(stats([0, 0], [1, 0, 0, 1]), {
        mu: ndarray(new Float64Array(2), [2]),
        sigma: ndarray(new Float64Array(6), [2, 3]),
      }),
    ).toThrow("the second statistics' sigma has shape [2, 3]; expected [2, 2] to match mu.");
  });
});

describe("frechetDistance against pytorch-fid", () => {
  // src/fixtures/pytorch_fid_reference.npz (scripts/make_fid_reference.py): features and the FID that
  // pytorch-fid's calculate_frechet_distance (np.cov, scipy.linalg.sqrtm) gives for them.
  const ref = decodeNpz(
    new Uint8Array(readFileSync(new URL("./fixtures/pytorch_fid_reference.npz", import.meta.url))),
  );
  it.each([
    ["full", 1e-11],
    ["singular", 1e-6],
  ])("agrees on the %s case", (name, tolerance) => {
    const x = featureStats(ref[`${name}_x`]! as NumericNdArray);
    const y = featureStats(ref[`${name}_y`]! as NumericNdArray);
    const expected = (ref[`${name}_fid`]!.data as Float64Array)[0]!;
    // full rank: two float64 computations of one quantity (measured 1e-13 apart). Singular (N = 20 <
    // D = 48): scipy's sqrtm of a singular product is itself only accurate to ~√ε (measured 2e-8)
    expect(Math.abs(frechetDistance(x, y) - expected) / expected).toBeLessThan(tolerance);
  });
});
