// The tangent g of Algorithm 1 (§4.2, docs/math.md §2): its warmup factor r, its formula from the JVP,
// and its normalisation. Shapes: x_t, F⁻, J, dxdt, g are [B, ...]; t and norms are [B].
import { type Tensor, tf } from "@scm/backend";
import { timeColumn } from "@scm/trigflow";
import { LossConfigError } from "./errors.js";

/** How g is tamed before it enters the target (§4.2): the paper's L2 form, an RMS form, clipping, or none. */
export type TangentNormalization = "l2" | "rms" | "clip" | "none";

/** The tangent normalisations by name. */
export const tangentNormalizations: readonly TangentNormalization[] = ["l2", "rms", "clip", "none"];

/** The tangent-warmup factor r = min(1, step/H) (§4.2); H = 0 means no warmup (r = 1). */
export function tangentWarmup(step: number, iterations: number): number {
  if (!(Number.isInteger(step) && step >= 0)) throw new LossConfigError("step", step, "an integer ≥ 0");
  checkWarmupIterations(iterations);
  return iterations === 0 ? 1 : Math.min(1, step / iterations); // Alg. 1: r ← min(1, Iters/H)
}

/** Checks H, the number of tangent-warmup iterations. */
export function checkWarmupIterations(iterations: number): void {
  if (!(Number.isInteger(iterations) && iterations >= 0)) {
    throw new LossConfigError(
      "tangentWarmup",
      iterations,
      "an integer number of iterations ≥ 0 (0: no warmup)",
    );
  }
}

/** The inputs of `consistencyTangent`; all tensors [B, ...] except `t` [B]. */
export interface TangentInputs {
  /** x_t. */
  readonly xT: Tensor;
  /** t [B]. */
  readonly t: Tensor;
  /** F⁻ = F_θ⁻(x_t/σ_d, t), the JVP's primal output. */
  readonly F: Tensor;
  /** J = cos t·sin t·dF⁻/dt, the JVP's tangent output with the rearranged tangents. */
  readonly J: Tensor;
  /** dx_t/dt: v_t (sCT) or σ_d·F_teacher (sCD). */
  readonly dxdt: Tensor;
  /** σ_d. */
  readonly sigmaData: number;
  /** The warmup factor r ∈ [0, 1]. */
  readonly warmup: number;
}

/**
 * g = −cos²t·(σ_d·F⁻ − dxdt) − r·(cos t·sin t·x_t + σ_d·J) (Alg. 1), before normalisation. With r = 1
 * this is cos t·df⁻/dt: the cos t is the prior weighting 1/(σ_d·tan t) times σ_d·sin t, so no extra
 * 1/σ weight is applied (some public code adds one; Alg. 1 does not).
 */
export function consistencyTangent({ xT, t, F, J, dxdt, sigmaData, warmup }: TangentInputs): Tensor {
  return tf.tidy(() => {
    const tc = timeColumn(t, xT.rank); // [B, 1, …]
    const [cos, sin] = [tf.cos(tc), tf.sin(tc)];
    const first = tf.mul(tf.neg(tf.square(cos)), tf.sub(tf.mul(F, sigmaData), dxdt)); // −cos²t·(σ_d F⁻ − dxdt)
    const second = tf.add(tf.mul(tf.mul(cos, sin), xT), tf.mul(J, sigmaData)); // cos t sin t·x_t + σ_d J
    return tf.sub(first, tf.mul(second, warmup));
  });
}

/** ‖g‖₂ over all D dims of each sample: [B, ...] → [B]. */
export function perSampleNorm(g: Tensor): Tensor {
  return tf.tidy(() => tf.sqrt(tf.sum(tf.square(tf.reshape(g, [g.shape[0]!, -1])), 1)));
}

/**
 * Normalises g per sample (§4.2): `l2` g/(‖g‖₂ + c) (Alg. 1, c = 0.1), `rms` g/(‖g‖₂/√D + c),
 * `clip` each element clipped to [−1, 1] (the paper's alternative), `none` g unchanged.
 */
export function normalizeTangent(g: Tensor, mode: TangentNormalization, c = 0.1): Tensor {
  checkNormalization(mode, c);
  return tf.tidy(() => {
    if (mode === "none") return tf.clone(g);
    if (mode === "clip") return tf.clipByValue(g, -1, 1);
    const D = g.size / g.shape[0]!;
    let norm = perSampleNorm(g); // [B]
    if (mode === "rms") norm = tf.div(norm, Math.sqrt(D));
    return tf.div(g, timeColumn(tf.add(norm, c), g.rank)); // Alg. 1: g ← g/(‖g‖ + c)
  });
}

/** Checks a normalisation mode and its constant c > 0. */
export function checkNormalization(mode: TangentNormalization, c: number): void {
  if (!tangentNormalizations.includes(mode)) {
    throw new LossConfigError(
      "normalization",
      JSON.stringify(mode),
      `one of ${tangentNormalizations.join(", ")}`,
    );
  }
  if (!(Number.isFinite(c) && c > 0))
    throw new LossConfigError("normalizationConstant", c, "a finite number > 0");
}
