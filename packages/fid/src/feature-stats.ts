// Mean and covariance of features (the Gaussian fitted by FID; Heusel et al. 2017, §3), in float64
// with the unbiased N−1 normalisation numpy's `np.cov(rowvar=False)` and pytorch-fid use. Batches
// are accumulated around a shift (the first batch's mean), which keeps the one-pass sums well
// conditioned; the Gram update runs as a blocked XᵀX over 256 rows at a time.
import {
  checkFinite,
  checkRank,
  type Float64NdArray,
  float64NdArray,
  type NumericNdArray,
  toFloat64,
} from "./arrays.js";
import { gemmNTAccumulate, symmetrizeFromLower } from "./dense.js";
import { FidInputError } from "./errors.js";

/** The statistics FID compares: the mean and covariance of a set of features. */
export interface FeatureStats {
  /** The mean feature, [D] float64. */
  readonly mu: Float64NdArray;
  /** The covariance with N−1 normalisation, [D, D] float64, symmetric. */
  readonly sigma: Float64NdArray;
}

const ROW_BLOCK = 256;

/** Accumulates feature statistics batch by batch (streaming feature extraction). */
export class FeatureStatsAccumulator {
  /** The number of feature rows added so far. */
  count = 0;
  private readonly shift: Float64Array;
  private readonly sum: Float64Array;
  private readonly gram: Float64Array; // lower triangle of Σ (x−shift)(x−shift)ᵀ
  private readonly block: Float64Array; // [D, ROW_BLOCK] transposed, centred rows
  private shifted = false;

  /** A new accumulator for D-dimensional features, centred on `shift` (default: the first batch's mean). */
  constructor(
    readonly dim: number,
    shift?: Float64Array,
  ) {
    if (!Number.isInteger(dim) || dim < 1) {
      throw new FidInputError("dim", `The feature dimension is ${dim}; expected a positive integer.`);
    }
    this.shift = new Float64Array(dim);
    if (shift !== undefined) {
      this.shift.set(shift.subarray(0, dim));
      this.shifted = true;
    }
    this.sum = new Float64Array(dim);
    this.gram = new Float64Array(dim * dim);
    this.block = new Float64Array(dim * ROW_BLOCK);
  }

  /** Adds a batch of features, [N, D] (any numeric dtype); throws on a wrong D or non-finite values. */
  add(features: NumericNdArray, input = "features"): void {
    const [n, d] = checkRank(features, 2, input, `[N, ${this.dim}] features`) as [number, number];
    if (d !== this.dim) {
      throw new FidInputError(
        input,
        `${input} has ${d} features per row; expected ${this.dim} (the dimension of the other rows).`,
      );
    }
    const x = toFloat64(features);
    checkFinite(x, input);
    this.addRows(x, n);
  }

  /** Adds N rows of a row-major [N, D] Float64Array (no checks: the fast path for extractors). */
  addRows(x: Float64Array, n: number): void {
    const dim = this.dim;
    if (n === 0) return;
    if (!this.shifted) {
      for (let i = 0; i < n; i++)
        for (let j = 0; j < dim; j++) this.shift[j] = this.shift[j]! + x[i * dim + j]!;
      for (let j = 0; j < dim; j++) this.shift[j] = this.shift[j]! / n;
      this.shifted = true;
    }
    for (let r0 = 0; r0 < n; r0 += ROW_BLOCK) {
      const rows = Math.min(ROW_BLOCK, n - r0);
      const block = this.block;
      for (let r = 0; r < rows; r++) {
        const src = (r0 + r) * dim;
        for (let j = 0; j < dim; j++) {
          const c = x[src + j]! - this.shift[j]!;
          this.sum[j] = this.sum[j]! + c;
          block[j * rows + r] = c;
        }
      }
      // gram += blockᵀ-rows · blockᵀ-rowsᵀ: [D, rows]·[D, rows]ᵀ, lower triangle
      gemmNTAccumulate(block, block, this.gram, dim, dim, rows, true);
    }
    this.count += n;
  }

  /** The mean and the N−1 covariance of everything added; needs at least two rows. */
  finish(): FeatureStats {
    const { dim, count: n } = this;
    if (n < 2) {
      throw new FidInputError(
        "features",
        `The feature set has ${n} rows; expected at least 2 to estimate a covariance.`,
      );
    }
    const mean = new Float64Array(dim);
    for (let j = 0; j < dim; j++) mean[j] = this.sum[j]! / n; // mean of (x − shift)
    const sigma = new Float64Array(dim * dim);
    // Σ = (Σᵢ cᵢcᵢᵀ − n·m·mᵀ) / (n − 1) with cᵢ = xᵢ − shift, m = mean(c)
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j <= i; j++) {
        sigma[i * dim + j] = (this.gram[i * dim + j]! - n * mean[i]! * mean[j]!) / (n - 1);
      }
    }
    symmetrizeFromLower(sigma, dim);
    for (let j = 0; j < dim; j++) mean[j] = mean[j]! + this.shift[j]!;
    return { mu: float64NdArray(mean, [dim]), sigma: float64NdArray(sigma, [dim, dim]) };
  }
}

/** The mean and N−1 covariance of features [N, D] (two passes: the mean, then centred products). */
export function featureStats(features: NumericNdArray, input = "features"): FeatureStats {
  const [n, d] = checkRank(features, 2, input, "[N, D] features") as [number, number];
  if (d < 1)
    throw new FidInputError(input, `${input} has shape [${n}, ${d}]; expected at least one feature.`);
  const x = toFloat64(features);
  checkFinite(x, input);
  // Centring on the exact mean makes the one-pass formula a two-pass one.
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + x[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / Math.max(n, 1);
  const acc = new FeatureStatsAccumulator(d, mean);
  acc.addRows(x, n);
  return acc.finish();
}
