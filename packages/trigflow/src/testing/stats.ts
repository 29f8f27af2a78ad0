// Float64 statistics of tensors for tests: read back once and summed in JavaScript doubles, so the
// numbers are the same on every backend (tfjs reductions accumulate in float32 on some).
import type { Tensor } from "@scm/backend";

function values(x: Tensor | ArrayLike<number>): ArrayLike<number> {
  return "dataSync" in x ? x.dataSync() : x;
}

/** The sample standard deviation of all elements (n − 1 in the denominator), in float64. */
export function sampleStd(x: Tensor | ArrayLike<number>): number {
  const v = values(x);
  let mean = 0;
  for (let i = 0; i < v.length; i++) mean += v[i]! / v.length;
  let sq = 0;
  for (let i = 0; i < v.length; i++) sq += (v[i]! - mean) ** 2;
  return Math.sqrt(sq / (v.length - 1));
}

/** The sample mean of all elements, in float64. */
export function sampleMean(x: Tensor | ArrayLike<number>): number {
  const v = values(x);
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]!;
  return sum / v.length;
}

/**
 * The least-squares fit y ≈ slope·x through the origin, and the largest residual relative to
 * max|slope·x|: a map that is the same linear function on every path has a residual at rounding level.
 */
export function linearFit(
  y: Tensor | ArrayLike<number>,
  x: Tensor | ArrayLike<number>,
): { slope: number; residual: number } {
  const [a, b] = [values(y), values(x)];
  let xy = 0;
  let xx = 0;
  for (let i = 0; i < b.length; i++) {
    xy += a[i]! * b[i]!;
    xx += b[i]! * b[i]!;
  }
  const slope = xy / xx;
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    worst = Math.max(worst, Math.abs(a[i]! - slope * b[i]!));
    scale = Math.max(scale, Math.abs(slope * b[i]!));
  }
  return { slope, residual: worst / scale };
}

/** max|actual − expected| / max|expected| over all elements, in float64. */
export function maxRelativeError(
  actual: Tensor | ArrayLike<number>,
  expected: Tensor | ArrayLike<number>,
): number {
  const [a, e] = [values(actual), values(expected)];
  if (a.length !== e.length) throw new RangeError(`actual has ${a.length} elements; expected ${e.length}.`);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < e.length; i++) {
    worst = Math.max(worst, Math.abs(a[i]! - e[i]!));
    scale = Math.max(scale, Math.abs(e[i]!));
  }
  return worst / scale;
}
