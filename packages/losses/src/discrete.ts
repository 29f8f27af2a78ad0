// The discrete-time variant (App. E, Alg. 2), for the paper's ablation "continuous time beats every N".
// With t' = max(t − Δt, 0), Δt = (π/2)/N, and the same constants as Alg. 1, the tangent is the finite
// difference of the consistency function f⁻ = cos t·x_t − sin t·σ_d·F⁻ (Eq. 5) in place of its JVP:
//   g_N = cos t·(f⁻(x_t, t) − f⁻(x_{t'}, t'))/(t − t'),
// which tends to Alg. 1's g (with r = 1, g = cos t·df⁻/dt) as N → ∞. For sCT x_{t'} = cos t'·x0 + sin t'·z
// (the same z); for sCD it is one DDIM step of the teacher's ODE, x_{t'} = cos Δ·x_t − sin Δ·dxdt.
// Tangent warmup: Alg. 1's r scales every term but −cos²t·(σ_d F⁻ − dxdt), so g = g₀ + r·(g_N − g₀)
// with g₀ = −cos²t·(σ_d F⁻ − dxdt): at r = 0 both variants start from the same objective. (Our
// construction: App. E states no warmup for the discrete variant.)
import { type Tensor, tf } from "@scm/backend";
import { timeColumn } from "@scm/trigflow";
import { LossConfigError } from "./errors.js";

/** The discrete-time variant with N steps over [0, π/2]: Δt = (π/2)/N (App. E). */
export interface DiscreteTime {
  readonly steps: number;
}

/** Checks a discrete-time setting: an integer N ≥ 1. */
export function checkDiscreteTime(time: DiscreteTime): void {
  if (typeof time !== "object" || time === null || !(Number.isInteger(time.steps) && time.steps >= 1)) {
    throw new LossConfigError(
      "time",
      JSON.stringify(time),
      `"continuous" or { steps: N } with N an integer ≥ 1`,
    );
  }
}

/** t' = max(t − (π/2)/N, 0), [B]. */
export function previousTime(t: Tensor, steps: number): Tensor {
  return tf.tidy(() => tf.relu(tf.sub(t, Math.PI / 2 / steps)));
}

/** The inputs of `discreteTangent`: [B, ...] tensors and times [B]. */
export interface DiscreteTangentInputs {
  readonly xT: Tensor;
  readonly t: Tensor;
  /** F⁻ at (x_t, t). */
  readonly F: Tensor;
  readonly xPrev: Tensor;
  readonly tPrev: Tensor;
  /** F⁻ at (x_{t'}, t'). */
  readonly FPrev: Tensor;
  readonly dxdt: Tensor;
  readonly sigmaData: number;
  readonly warmup: number;
}

/** g = g₀ + r·(g_N − g₀), the discrete-time tangent (App. E; see the file header), before normalisation. */
export function discreteTangent(inputs: DiscreteTangentInputs): Tensor {
  const { xT, t, F, xPrev, tPrev, FPrev, dxdt, sigmaData, warmup } = inputs;
  return tf.tidy(() => {
    const rank = xT.rank;
    const [tc, pc] = [timeColumn(t, rank), timeColumn(tPrev, rank)];
    // Eq. 5: f = cos t·x − sin t·σ_d·F
    const f = (x: Tensor, Fx: Tensor, c: Tensor) =>
      tf.sub(tf.mul(tf.cos(c), x), tf.mul(tf.sin(c), tf.mul(Fx, sigmaData)));
    const cos = tf.cos(tc);
    const gN = tf.div(tf.mul(cos, tf.sub(f(xT, F, tc), f(xPrev, FPrev, pc))), tf.sub(tc, pc));
    const g0 = tf.mul(tf.neg(tf.square(cos)), tf.sub(tf.mul(F, sigmaData), dxdt));
    return tf.add(g0, tf.mul(tf.sub(gN, g0), warmup));
  });
}
