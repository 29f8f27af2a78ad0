// Input checks shared by every public function: each failure is a typed error whose message names the
// input, its value and what was expected. Tensor checks read back one small reduction (or t itself,
// which is [B]), never the whole of a large tensor.
import { sameShape, type Tensor, tf } from "@scm/backend";
import { formatShape } from "@scm/errors";
import { TrigflowRangeError, TrigflowShapeError } from "./errors.js";

/** π/2 rounded up to float32: a float32 tensor holding π/2 is accepted as π/2. */
const HALF_PI_F32 = Math.fround(Math.PI / 2);

/** Which ends of [0, π/2] a time may take. */
export type TimeInterval = "[0, π/2]" | "(0, π/2]" | "[0, π/2)" | "(0, π/2)";

/** Whether the number `v` lies in the interval (NaN never does). */
export function inInterval(v: number, interval: TimeInterval): boolean {
  const low = interval.startsWith("(") ? v > 0 : v >= 0;
  const high = interval.endsWith(")") ? v < Math.PI / 2 : v <= HALF_PI_F32;
  return low && high;
}

/** σ_d must be a finite number > 0. */
export function checkSigmaData(sigmaData: number, name = "sigmaData"): void {
  checkPositive(sigmaData, name);
}

/** A finite number > 0 (σ_d, σ_max, P_std, ρ). */
export function checkPositive(value: number, name: string): void {
  checkNumber(value, name, (v) => Number.isFinite(v) && v > 0, "a finite number > 0");
}

/** An integer ≥ 1 (a batch size, a number of steps). */
export function checkCount(value: number, name: string): void {
  checkNumber(value, name, (v) => Number.isInteger(v) && v >= 1, "an integer ≥ 1");
}

/** A finite number (P_mean). */
export function checkFiniteNumber(value: number, name: string): void {
  checkNumber(value, name, Number.isFinite, "a finite number");
}

/** A number time in the interval (default [0, π/2]). */
export function checkTimeNumber(t: number, name = "t", interval: TimeInterval = "[0, π/2]"): void {
  checkNumber(t, name, (v) => inInterval(v, interval), `a value in ${interval}`);
}

/** Every element of a time tensor in the interval (reads the tensor back: keep it small, e.g. [B]). */
export function checkTimeTensor(t: Tensor, name = "t", interval: TimeInterval = "[0, π/2]"): void {
  checkEach(t, name, (v) => inInterval(v, interval), `values in ${interval}`);
}

/** A number that passes `ok` (NaN never does when `ok` is a comparison). */
export function checkNumber(value: number, name: string, ok: (v: number) => boolean, expected: string): void {
  if (typeof value !== "number" || !ok(value)) throw new TrigflowRangeError(name, Number(value), expected);
}

/** Every element of a small tensor (times, σ's) passes `ok`; the first that fails is named. */
export function checkEach(x: Tensor, name: string, ok: (v: number) => boolean, expected: string): void {
  const values = x.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!ok(v)) {
      const detail = x.rank === 0 ? `is ${v}` : `contains ${v} at index ${i}`;
      throw new TrigflowRangeError(name, v, expected, detail);
    }
  }
}

/** A tensor without NaN or ±Infinity (one reduction read back). */
export function checkFiniteTensor(x: Tensor, name: string): void {
  if (tf.tidy(() => tf.any(tf.logicalNot(tf.isFinite(x))).dataSync()[0] === 1)) {
    throw new TrigflowRangeError(name, Number.NaN, "finite numbers", "contains NaN or infinite values");
  }
}

/** Two tensors of the same shape. */
export function checkSameShape(x: Tensor, name: string, reference: Tensor, referenceName: string): void {
  if (!sameShape(x.shape, reference.shape)) {
    throw new TrigflowShapeError(
      name,
      x.shape,
      `${formatShape(reference.shape)}, the shape of ${referenceName}`,
    );
  }
}

/** A tensor with a leading batch dimension. */
export function checkBatched(x: Tensor, name: string): void {
  if (x.rank < 1) throw new TrigflowShapeError(name, x.shape, "a leading batch dimension [B, ...]");
}

/**
 * A time for a batch `x`: a number or a tensor of shape [] or [B] (B = x.shape[0]), each value in
 * the interval, no NaN.
 */
export function checkTime(
  t: number | Tensor,
  x: Tensor,
  xName: string,
  name = "t",
  interval: TimeInterval = "[0, π/2]",
): void {
  if (typeof t === "number") {
    checkTimeNumber(t, name, interval);
    return;
  }
  if (!(t.rank === 0 || (t.rank === 1 && x.rank >= 1 && t.shape[0] === x.shape[0]))) {
    const batch = x.rank >= 1 ? ` or [${x.shape[0]}] (the batch of ${xName})` : "";
    throw new TrigflowShapeError(name, t.shape, `[]${batch}`);
  }
  checkTimeTensor(t, name, interval);
}
