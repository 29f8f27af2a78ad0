// The Fréchet distance between two Gaussians (Dowson & Landau 1982; FID, Heusel et al. 2017, Eq. 6):
//   d² = ‖μ1 − μ2‖² + Tr(Σ1 + Σ2 − 2(Σ1Σ2)^{1/2}).
// Tr (Σ1Σ2)^{1/2} is the sum of the square roots of the eigenvalues of the PSD matrix
// Σ1^{1/2}Σ2Σ1^{1/2} (similar to Σ1Σ2). With Σ1 = Vᵀ·diag(λ)·V (rows of V the eigenvectors),
// Σ1^{1/2}Σ2Σ1^{1/2} = Vᵀ·[Λ^{1/2}(VΣ2Vᵀ)Λ^{1/2}]·V, so its eigenvalues are those of the bracket,
// which we form and decompose directly. Eigenvalues that round to slightly below zero (a singular
// Σ from N < D samples, or rounding) are clipped to 0 and counted: no eps·I offset is added,
// unlike pytorch-fid's fallback, so singular covariances need no special case.
import { formatShape } from "@scm/errors";
import { checkFinite, checkRank, type NumericNdArray, toFloat64 } from "./arrays.js";
import { gemmNTAccumulate } from "./dense.js";
import { FidInputError } from "./errors.js";
import type { FeatureStats } from "./feature-stats.js";
import { symmetricEigen } from "./symmetric-eigen.js";

/** Statistics as the distance reads them: any numeric ndarrays of shape [D] and [D, D]. */
export interface GaussianStats {
  /** The mean, [D]. */
  readonly mu: NumericNdArray;
  /** The covariance, [D, D], symmetric positive semi-definite. */
  readonly sigma: NumericNdArray;
}

/** The Fréchet distance and its parts. */
export interface FrechetDistanceDetails {
  /** The distance d² = meanTerm + traceTerm, clamped at 0 (it is a squared distance). */
  readonly fid: number;
  /** ‖μ1 − μ2‖². */
  readonly meanTerm: number;
  /** Tr Σ1 + Tr Σ2 − 2·Tr(Σ1Σ2)^{1/2}. */
  readonly traceTerm: number;
  /** Tr(Σ1Σ2)^{1/2}. */
  readonly traceSqrtProduct: number;
  /** How many negative eigenvalues (of Σ1, then of Σ1^{1/2}Σ2Σ1^{1/2}) were clipped to 0. */
  readonly clippedEigenvalues: number;
  /** The most negative eigenvalue clipped, relative to the largest one (0 when none was). */
  readonly worstClippedRelative: number;
}

/** The Fréchet distance between N(μ1, Σ1) and N(μ2, Σ2): FID when the statistics are Inception features. */
export function frechetDistance(a: GaussianStats | FeatureStats, b: GaussianStats | FeatureStats): number {
  return frechetDistanceDetails(a, b).fid;
}

/** `frechetDistance` with its terms and a report of the eigenvalues clipped at 0. */
export function frechetDistanceDetails(
  a: GaussianStats | FeatureStats,
  b: GaussianStats | FeatureStats,
): FrechetDistanceDetails {
  const { mu: mu1, sigma: sigma1, dim } = readStats(a, "the first statistics");
  const { mu: mu2, sigma: sigma2 } = readStats(b, "the second statistics", dim);
  let meanTerm = 0;
  for (let i = 0; i < dim; i++) meanTerm += (mu1[i]! - mu2[i]!) ** 2;
  let trace1 = 0;
  let trace2 = 0;
  for (let i = 0; i < dim; i++) {
    trace1 += sigma1[i * dim + i]!;
    trace2 += sigma2[i * dim + i]!;
  }
  const { traceSqrt, clipped, worst } = traceSqrtProduct(sigma1, sigma2, dim);
  const traceTerm = trace1 + trace2 - 2 * traceSqrt;
  return {
    fid: Math.max(0, meanTerm + traceTerm),
    meanTerm,
    traceTerm,
    traceSqrtProduct: traceSqrt,
    clippedEigenvalues: clipped,
    worstClippedRelative: worst,
  };
}

/** Tr (Σ1Σ2)^{1/2} for symmetric PSD [D, D] row-major matrices, through two symmetric eigenproblems. */
export function traceSqrtProduct(
  sigma1: Float64Array,
  sigma2: Float64Array,
  dim: number,
): { traceSqrt: number; clipped: number; worst: number } {
  const first = symmetricEigen(sigma1, dim, { vectors: true });
  const lambda = first.values;
  const v = first.vectors!; // [D, D], rows the eigenvectors of Σ1
  let clipped = 0;
  let worst = 0;
  const top1 = Math.max(Math.abs(lambda[0]!), Math.abs(lambda[dim - 1]!), Number.MIN_VALUE);
  const root = new Float64Array(dim);
  for (let i = 0; i < dim; i++) {
    const l = lambda[i]!;
    if (l < 0) {
      clipped++;
      worst = Math.min(worst, l / top1);
    }
    root[i] = Math.sqrt(Math.max(l, 0));
  }
  // P = V·Σ2 (= V·Σ2ᵀ, Σ2 symmetric) then W = P·Vᵀ, lower triangle; W_ij ← √λi·W_ij·√λj.
  const sym2 = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j <= i; j++) {
      const s = 0.5 * (sigma2[i * dim + j]! + sigma2[j * dim + i]!);
      sym2[i * dim + j] = s;
      sym2[j * dim + i] = s;
    }
  }
  const p = new Float64Array(dim * dim);
  gemmNTAccumulate(v, sym2, p, dim, dim, dim);
  const w = new Float64Array(dim * dim);
  gemmNTAccumulate(p, v, w, dim, dim, dim, true);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j <= i; j++) w[i * dim + j] = w[i * dim + j]! * root[i]! * root[j]!;
  }
  const mu = symmetricEigen(w, dim).values;
  const top2 = Math.max(Math.abs(mu[0]!), Math.abs(mu[dim - 1]!), Number.MIN_VALUE);
  let traceSqrt = 0;
  for (let i = 0; i < dim; i++) {
    const m = mu[i]!;
    if (m < 0) {
      clipped++;
      worst = Math.min(worst, m / top2);
    }
    traceSqrt += Math.sqrt(Math.max(m, 0));
  }
  return { traceSqrt, clipped, worst };
}

function readStats(
  stats: GaussianStats,
  input: string,
  dim?: number,
): { mu: Float64Array; sigma: Float64Array; dim: number } {
  if (stats === null || typeof stats !== "object" || stats.mu === undefined || stats.sigma === undefined) {
    throw new FidInputError(
      input,
      `${input} are not { mu, sigma }; expected a mean [D] and a covariance [D, D].`,
    );
  }
  const [d] = checkRank(stats.mu, 1, `${input}' mu`, "a mean of shape [D]") as [number];
  const shape = checkRank(stats.sigma, 2, `${input}' sigma`, `a covariance of shape [${d}, ${d}]`);
  if (shape[0] !== d || shape[1] !== d) {
    throw new FidInputError(
      `${input}' sigma`,
      `${input}' sigma has shape ${formatShape(shape)}; expected [${d}, ${d}] to match mu.`,
    );
  }
  if (dim !== undefined && d !== dim) {
    throw new FidInputError(
      input,
      `${input} have dimension ${d}; expected ${dim}, the dimension of the first statistics.`,
    );
  }
  if (d < 1) throw new FidInputError(input, `${input} have dimension 0; expected at least one feature.`);
  const mu = toFloat64(stats.mu);
  const sigma = toFloat64(stats.sigma);
  checkFinite(mu, `${input}' mu`);
  checkFinite(sigma, `${input}' sigma`);
  return { mu, sigma, dim: d };
}
