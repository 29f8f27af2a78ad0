// Conversions between TrigFlow, EDM and rectified flow (App. B, Eq. 30). TrigFlow: x_t = cos t·x0 +
// sin t·z with z ~ N(0, σ_d² I); EDM: x_σ = x0 + σ·n with n ~ N(0, I); rectified flow:
// x_s = (1 − s)·x0 + s·z. Scalar helpers take a number (computed in float64) or a tensor of any shape.
import { type Tensor, tf } from "@scm/backend";
import { add, type TimeLike, trigOf } from "./time.js";
import { checkEach, checkNumber, checkSigmaData, inInterval } from "./validate.js";

/** A number, or a tensor of any shape converted element by element. */
export type NumberOrTensor = number | Tensor;
/** The result type of an element-wise conversion: a number for a number, a tensor for a tensor. */
export type Converted<T extends NumberOrTensor> = T extends number ? number : Tensor;

const HALF_PI = Math.PI / 2;
const inTimeRange = (v: number) => inInterval(v, "[0, π/2]");

function elementwise<T extends NumberOrTensor>(
  value: T,
  name: string,
  ok: (v: number) => boolean,
  expected: string,
  onNumber: (v: number) => number,
  onTensor: (v: Tensor) => Tensor,
): Converted<T> {
  if (typeof value === "number") {
    checkNumber(value, name, ok, expected);
    return onNumber(value) as Converted<T>;
  }
  checkEach(value as Tensor, name, ok, expected);
  return tf.tidy(() => onTensor(value as Tensor)) as Converted<T>;
}

/** EDM noise level of TrigFlow time: σ = σ_d·tan t (Eq. 30); t = π/2 gives σ_d·tan(π/2) ≈ 1.6e16·σ_d. */
export function tToSigma<T extends NumberOrTensor>(t: T, sigmaData: number): Converted<T> {
  checkSigmaData(sigmaData);
  return elementwise(
    t,
    "t",
    inTimeRange,
    "values in [0, π/2]",
    (v) => sigmaData * Math.tan(Math.min(v, HALF_PI)), // Eq. 30: σ = σ_d·tan t
    (v) => tf.mul(tf.tan(v), sigmaData),
  );
}

/** TrigFlow time of an EDM noise level: t = arctan(σ/σ_d) (Eq. 30); σ = ∞ gives π/2. */
export function sigmaToT<T extends NumberOrTensor>(sigma: T, sigmaData: number): Converted<T> {
  checkSigmaData(sigmaData);
  return elementwise(
    sigma,
    "sigma",
    (v) => v >= 0, // +Infinity is allowed: t = π/2
    "values in [0, ∞]",
    (v) => Math.atan(v / sigmaData), // Eq. 30: t = arctan(σ/σ_d)
    (v) => tf.atan(tf.div(v, sigmaData)),
  );
}

/** The largest sampling time t_max = arctan(σ_max/σ_d) (§4 sampling; ≈ 1.56454 for 80 and 0.5). */
export function tMax(sigmaMax: number, sigmaData: number): number {
  checkNumber(sigmaMax, "sigmaMax", (v) => v > 0, "a number > 0");
  return sigmaToT(sigmaMax, sigmaData);
}

/** Rectified-flow time of TrigFlow time: s = sin t/(cos t + sin t) (App. B). */
export function tToRfTime<T extends NumberOrTensor>(t: T): Converted<T> {
  return elementwise(
    t,
    "t",
    inTimeRange,
    "values in [0, π/2]",
    (v) => Math.sin(v) / (Math.cos(v) + Math.sin(v)), // App. B: s = sin t/(cos t + sin t)
    (v) => tf.div(tf.sin(v), tf.add(tf.cos(v), tf.sin(v))),
  );
}

/** TrigFlow time of rectified-flow time: t = arctan(s/(1 − s)), computed as atan2(s, 1 − s) (App. B). */
export function rfTimeToT<T extends NumberOrTensor>(s: T): Converted<T> {
  return elementwise(
    s,
    "s",
    (v) => v >= 0 && v <= 1,
    "values in [0, 1]",
    (v) => Math.atan2(v, 1 - v), // inverse of s = sin t/(cos t + sin t): tan t = s/(1 − s)
    (v) => tf.atan2(v, tf.sub(1, v)),
  );
}

/** TrigFlow sample of an EDM sample: x_t = cos t·x_σ with σ = σ_d·tan t (Eq. 30). */
export function xSigmaToXT(xSigma: Tensor, t: TimeLike): Tensor {
  return tf.tidy(() => tf.mul(xSigma, trigOf(t, xSigma, "xSigma").cos)); // Eq. 30
}

/** EDM sample of a TrigFlow sample: x_σ = x_t/cos t (Eq. 30); t must be below π/2. */
export function xTToXSigma(xT: Tensor, t: TimeLike): Tensor {
  return tf.tidy(() => tf.div(xT, trigOf(t, xT, "xT", "[0, π/2)").cos)); // Eq. 30, inverted
}

/** Rectified-flow sample of a TrigFlow sample: x_s = x_t/(cos t + sin t), s = tToRfTime(t) (App. B). */
export function xTToXRf(xT: Tensor, t: TimeLike): Tensor {
  return tf.tidy(() => {
    const { cos, sin } = trigOf(t, xT, "xT");
    // x_t/(cos t + sin t) = (cos t/(cos t + sin t))·x0 + (sin t/(cos t + sin t))·z = (1 − s)·x0 + s·z
    return tf.div(xT, add(cos, sin));
  });
}

/** TrigFlow sample of a rectified-flow sample at s = tToRfTime(t): x_t = (cos t + sin t)·x_s (App. B). */
export function xRfToXT(xRf: Tensor, t: TimeLike): Tensor {
  return tf.tidy(() => {
    const { cos, sin } = trigOf(t, xRf, "xRf");
    return tf.mul(xRf, add(cos, sin));
  });
}
