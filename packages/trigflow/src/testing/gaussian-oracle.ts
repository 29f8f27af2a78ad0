// A closed-form oracle for tests (docs/math.md §7): for data x0 ~ N(0, s²I) everything is linear in x_t.
//   V(t) = cos²t·s² + sin²t·σ_d²                         the variance of x_t
//   F*(y, t) = k(t)·y,    k(t) = cos t·sin t·(σ_d² − s²)/V(t)   the ideal diffusion model
//   F_cm(y, t) = k_cm(t)·y, k_cm(t) = (cos t − s/√V(t))/sin t   the ideal consistency model
// The PF-ODE with F* keeps x_t/√V(t) constant along each path, and f*(x_t, t) = s·x_t/√V(t).
import { type Tensor, tf } from "@scm/backend";
import type { EdmDenoiser } from "../parameterization.js";
import type { VelocityFn } from "../samplers/types.js";
import { broadcastTime, timeColumn } from "../time.js";
import { checkPositive, checkSigmaData } from "../validate.js";

/** The closed forms of Gaussian data N(0, s²I) (docs/math.md §7). */
export interface GaussianOracle {
  /** The data standard deviation s. */
  readonly s: number;
  /** σ_d. */
  readonly sigmaData: number;
  /** V(t) = cos²t·s² + sin²t·σ_d², the variance of x_t. */
  variance(t: number): number;
  /** k(t) = cos t·sin t·(σ_d² − s²)/V(t), so that F*(y, t) = k(t)·y. */
  k(t: number): number;
  /** k_cm(t) = (cos t − s/√V(t))/sin t, so that F_cm(y, t) = k_cm(t)·y (0 at t = 0). */
  kCm(t: number): number;
  /** The exact PF-ODE map x_to = √(V(to)/V(from))·x_from. */
  odeMap(from: number, to: number): number;
  /** The ideal diffusion model F*(y, t) = k(t)·y. */
  readonly velocity: VelocityFn;
  /** The ideal consistency model F_cm(y, t) = k_cm(t)·y. */
  readonly consistencyVelocity: VelocityFn;
  /** The EDM denoiser of this data, D(x_σ, σ) = s²/(s² + σ²)·x_σ. */
  readonly edmDenoiser: EdmDenoiser;
  /** The score ∇log p_t(x_t) = −x_t/V(t). */
  score(xT: Tensor, t: number | Tensor): Tensor;
}

/** The Gaussian oracle for data N(0, s²I) and σ_d (docs/math.md §7; the tests use s = 0.8, σ_d = 0.5). */
export function gaussianOracle(s: number, sigmaData: number): GaussianOracle {
  checkPositive(s, "s");
  checkSigmaData(sigmaData);
  const s2 = s * s;
  const d2 = sigmaData * sigmaData;
  // Tensor V(t) for t broadcast over x.
  const varianceOf = (cos: Tensor, sin: Tensor) =>
    tf.add(tf.mul(tf.square(cos), s2), tf.mul(tf.square(sin), d2));
  const linear =
    (coefficient: (cos: Tensor, sin: Tensor) => Tensor): VelocityFn =>
    (y, t) =>
      tf.tidy(() => {
        const column = broadcastTime(t, y, "xOverSigmaD");
        return tf.mul(y, coefficient(tf.cos(column), tf.sin(column)));
      });
  const variance = (t: number) => Math.cos(t) ** 2 * s2 + Math.sin(t) ** 2 * d2;
  return {
    s,
    sigmaData,
    variance,
    k: (t) => (Math.cos(t) * Math.sin(t) * (d2 - s2)) / variance(t),
    kCm: (t) => kCmNumber(Math.cos(t), Math.sin(t), Math.sqrt(variance(t)), s, d2),
    odeMap: (from, to) => Math.sqrt(variance(to) / variance(from)),
    velocity: linear((cos, sin) => tf.div(tf.mul(tf.mul(cos, sin), d2 - s2), varianceOf(cos, sin))),
    consistencyVelocity: linear((cos, sin) => kCmTensor(cos, sin, tf.sqrt(varianceOf(cos, sin)), s, d2)),
    edmDenoiser: (xSigma, sigma) =>
      tf.tidy(() => tf.mul(xSigma, tf.div(s2, tf.add(s2, tf.square(timeColumn(sigma, xSigma.rank)))))),
    score: (xT, t) =>
      tf.tidy(() => {
        const column = broadcastTime(t, xT, "xT");
        return tf.neg(tf.div(xT, varianceOf(tf.cos(column), tf.sin(column))));
      }),
  };
}

// k_cm = (cos t − s/√V)/sin t, rewritten without the 0/0 at t = 0: multiplying by (cos t·√V + s)
// gives cos²t·V − s² = sin²t·(cos²t·σ_d² − s²·(1 + cos²t)), so
//   k_cm = sin t·(cos²t·σ_d² − s²·(1 + cos²t)) / (√V·(cos t·√V + s)).
function kCmNumber(cos: number, sin: number, sqrtV: number, s: number, d2: number): number {
  return (sin * (cos * cos * d2 - s * s * (1 + cos * cos))) / (sqrtV * (cos * sqrtV + s));
}

// The same expression on tensors.
function kCmTensor(cos: Tensor, sin: Tensor, sqrtV: Tensor, s: number, d2: number): Tensor {
  const cos2 = tf.square(cos);
  const numerator = tf.mul(sin, tf.sub(tf.mul(cos2, d2), tf.mul(tf.add(cos2, 1), s * s)));
  return tf.div(numerator, tf.mul(sqrtV, tf.add(tf.mul(cos, sqrtV), s)));
}
