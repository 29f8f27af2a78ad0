// What a TrigFlow network F predicts, read off in other parameterisations (App. B, Eq. 5, Eq. 30).
// With v̂ = σ_d·F the estimate of v_t = cos t·z − sin t·x0, rotating (x_t, v̂) by −t gives
//   x̂0 = cos t·x_t − sin t·v̂,   ẑ = sin t·x_t + cos t·v̂.
// The denoiser of App. B and the consistency function of Eq. 5 are one formula, so one function under
// both names. `consistencyFunction` and `noiseFromF` are their `…Unchecked` twins (the math, written
// once) after the input checks, which read the device (x_t and F for NaN, a tensor t for its range).
// The twins stay because the samplers call them on their own intermediates (network outputs), which a
// check would read back every step; see unchecked.ts.
import { type Tensor, tf } from "@scm/backend";
import type { VelocityFn } from "./samplers/types.js";
import { type TimeLike, times, trigColumns, trigOf } from "./time.js";
import {
  checkFiniteTensor,
  checkSameShape,
  checkSigmaData,
  checkTime,
  type TimeInterval,
} from "./validate.js";

function checkPrediction(xT: Tensor, prediction: Tensor, name: string, sigmaData: number): void {
  checkSigmaData(sigmaData);
  checkSameShape(prediction, name, xT, "xT");
  checkFiniteTensor(xT, "xT");
  checkFiniteTensor(prediction, name);
}

// The checks of the denoiser, the consistency function and the noise estimate, in their order: σ_d,
// F's shape, x_t and F finite, then t (shape, range).
function checkInputs(xT: Tensor, F: Tensor, t: TimeLike, sigmaData: number): void {
  checkPrediction(xT, F, "F", sigmaData);
  checkTime(t, xT, "xT");
}

/**
 * The consistency function f = cos t·x_t − sin t·σ_d·F (Eq. 5), f(x, 0) = x; it is also the denoiser
 * D, the estimate of x0 (App. B), exported as `denoiserFromF`.
 */
export function consistencyFunction(xT: Tensor, F: Tensor, t: TimeLike, sigmaData: number): Tensor {
  checkInputs(xT, F, t, sigmaData);
  return consistencyFunctionUnchecked(xT, F, t, sigmaData);
}

/** The denoiser D = cos t·x_t − sin t·σ_d·F, the estimate of x0 (App. B): `consistencyFunction` itself. */
export const denoiserFromF = consistencyFunction;

/** The noise estimate ε = sin t·x_t + cos t·σ_d·F = E[z | x_t], in units of z (std σ_d) (App. B). */
export function noiseFromF(xT: Tensor, F: Tensor, t: TimeLike, sigmaData: number): Tensor {
  checkInputs(xT, F, t, sigmaData);
  return noiseFromFUnchecked(xT, F, t, sigmaData);
}

/** `consistencyFunction` without input checks (no device read): F shaped like x_t, t in [0, π/2] of shape [] or [B], σ_d > 0. */
export function consistencyFunctionUnchecked(xT: Tensor, F: Tensor, t: TimeLike, sigmaData: number): Tensor {
  return tf.tidy(() => {
    const { cos, sin } = trigColumns(t, xT.rank);
    // Eq. 5: f_θ(x_t, t) = cos t·x_t − sin t·σ_d·F_θ(x_t/σ_d, t); App. B: the same is D_θ
    return tf.sub(tf.mul(xT, cos), tf.mul(F, times(sin, sigmaData)));
  });
}

/** `denoiserFromF` without input checks: `consistencyFunctionUnchecked` itself (App. B, Eq. 5). */
export const denoiserFromFUnchecked = consistencyFunctionUnchecked;

/** `noiseFromF` without input checks (no device read): F shaped like x_t, t in [0, π/2] of shape [] or [B], σ_d > 0. */
export function noiseFromFUnchecked(xT: Tensor, F: Tensor, t: TimeLike, sigmaData: number): Tensor {
  return tf.tidy(() => {
    const { cos, sin } = trigColumns(t, xT.rank);
    return tf.add(tf.mul(xT, sin), tf.mul(F, times(cos, sigmaData))); // App. B: ε_θ
  });
}

/**
 * The score ∇log p_t(x_t) = −ε/(σ_d²·sin t), t in (0, π/2]: x_t given x0 is N(cos t·x0, sin²t·σ_d² I),
 * so the score is −E[x_t − cos t·x0 | x_t]/(sin²t·σ_d²) = −E[z | x_t]/(sin t·σ_d²).
 */
export function scoreFromF(xT: Tensor, F: Tensor, t: TimeLike, sigmaData: number): Tensor {
  return tf.tidy(() => {
    const { sin } = trigOf(t, xT, "xT", "(0, π/2]");
    return tf.div(noiseFromF(xT, F, t, sigmaData), times(sin, -sigmaData * sigmaData));
  });
}

/**
 * F from an EDM denoiser output D(x_σ, σ) at σ = σ_d·tan t: F = (cos t·x_t − D)/(σ_d·sin t) (Eq. 30);
 * t in (0, π/2].
 */
export function fFromEdmDenoiser(xT: Tensor, denoised: Tensor, t: TimeLike, sigmaData: number): Tensor {
  checkPrediction(xT, denoised, "denoised", sigmaData);
  return tf.tidy(() => {
    const { cos, sin } = trigOf(t, xT, "xT", "(0, π/2]");
    return tf.div(tf.sub(tf.mul(xT, cos), denoised), times(sin, sigmaData)); // Eq. 30
  });
}

/** An EDM denoiser D(x_σ [B, ...], σ [B]) → x̂0 (Karras et al. 2022). */
export type EdmDenoiser = (xSigma: Tensor, sigma: Tensor) => Tensor;

/**
 * A TrigFlow velocity callback from an EDM denoiser: x_σ = x_t/cos t, σ = σ_d·tan t, then
 * F = (cos t·x_t − D(x_σ, σ))/(σ_d·sin t) (Eq. 30); valid for t in (0, π/2).
 */
export function velocityFromEdmDenoiser(denoiser: EdmDenoiser, sigmaData: number): VelocityFn {
  checkSigmaData(sigmaData);
  const interval: TimeInterval = "(0, π/2)";
  return (xOverSigmaD, t) =>
    tf.tidy(() => {
      const { cos } = trigOf(t, xOverSigmaD, "xOverSigmaD", interval);
      const xT = tf.mul(xOverSigmaD, sigmaData);
      const sigma = tf.mul(tf.tan(t), sigmaData); // [B], Eq. 30: σ = σ_d·tan t
      const denoised = denoiser(tf.div(xT, cos), sigma); // x_σ = x_t/cos t
      return fFromEdmDenoiser(xT, denoised, t, sigmaData);
    });
}
