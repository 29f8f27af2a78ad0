// Comparing tensors in float64 on the JavaScript side: an elementwise allclose (NumPy's rule) and a
// norm-wise relative error, the measure the JVP checks report.
import { type Tensor, tf } from "@scm/backend";

/** A tensor, a typed array or a plain array of numbers. */
export type Numbers = Tensor | ArrayLike<number>;

/** The values of `x` as a float64 array. */
export function toFloat64(x: Numbers): Float64Array {
  return Float64Array.from(x instanceof tf.Tensor ? (x.dataSync() as ArrayLike<number>) : x);
}

function checkLengths(a: Float64Array, b: Float64Array): void {
  if (a.length !== b.length)
    throw new RangeError(`actual has ${a.length} values; expected ${b.length}, as expected has.`);
}

/** ‖actual − expected‖₂ / ‖expected‖₂ (0 when both are zero; ∞ when only expected is). */
export function relativeError(actual: Numbers, expected: Numbers): number {
  const a = toFloat64(actual);
  const b = toFloat64(expected);
  checkLengths(a, b);
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i]! - b[i]!) ** 2;
    norm += b[i]! ** 2;
  }
  if (diff === 0) return 0;
  return norm === 0 ? Number.POSITIVE_INFINITY : Math.sqrt(diff / norm);
}

/** Tolerances of `allClose`: |actual − expected| ≤ atol + rtol·|expected| elementwise. */
export interface AllCloseOptions {
  rtol?: number;
  atol?: number;
}

/** The worst elementwise violation: where, and by how much |a − b| exceeds atol + rtol·|b|. */
export interface AllCloseReport {
  ok: boolean;
  index: number;
  actual: number;
  expected: number;
  maxAbsError: number;
}

/** Elementwise |actual − expected| ≤ atol + rtol·|expected| (NumPy's allclose), with the worst entry. */
export function allClose(actual: Numbers, expected: Numbers, options: AllCloseOptions = {}): AllCloseReport {
  const { rtol = 1e-5, atol = 1e-6 } = options;
  const a = toFloat64(actual);
  const b = toFloat64(expected);
  checkLengths(a, b);
  let worst = -1;
  let worstExcess = Number.NEGATIVE_INFINITY;
  let maxAbsError = 0;
  for (let i = 0; i < a.length; i++) {
    const err = Math.abs(a[i]! - b[i]!);
    const excess = Number.isNaN(err) ? Number.POSITIVE_INFINITY : err - (atol + rtol * Math.abs(b[i]!));
    maxAbsError = Math.max(maxAbsError, Number.isNaN(err) ? Number.POSITIVE_INFINITY : err);
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = i;
    }
  }
  return {
    ok: worst < 0 || worstExcess <= 0,
    index: worst,
    actual: a[worst] ?? 0,
    expected: b[worst] ?? 0,
    maxAbsError,
  };
}

/** Throws (one sentence naming the worst entry) unless `allClose(actual, expected, options)` holds. */
export function assertAllClose(actual: Numbers, expected: Numbers, options: AllCloseOptions = {}): void {
  const r = allClose(actual, expected, options);
  if (!r.ok) {
    const { rtol = 1e-5, atol = 1e-6 } = options;
    throw new Error(
      `Entry ${r.index} is ${r.actual}; expected ${r.expected} within atol ${atol} + rtol ${rtol}·|expected|.`,
    );
  }
}
