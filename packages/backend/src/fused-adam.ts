// One Adam / RAdam update of a parameter in one kernel. The composed update (@scm/losses'
// optimizer.ts) is a dozen tfjs kernels per parameter tensor, about 2,800 a training step for the MNIST
// U-Net; the native backend does it in one pass that rounds every operation as those kernels do, so the
// weights come out the same bit for bit. Returns undefined where the active backend has no such kernel,
// so the optimizer keeps its composed ops there. Browser-safe: plain tfjs calls only.
import { FusedKernel, fusedKernelAvailable } from "./fused.js";
import { type Tensor, tf } from "./tf.js";

/**
 * The update's constants, each used as tfjs uses a JavaScript number in a tensor op (rounded to
 * float32). With m' = β₁m + (1 − β₁)g and v' = β₂v + (1 − β₂)g², the new parameter is p − u where u
 * is (m'·step)/(√v'/sqrtBc2 + ε) for "adam", (m'·step)/(√v' + ε) for "radam-rectified" and m'·step for
 * "radam-unadapted".
 */
export interface AdamCoefficients {
  readonly mode: "adam" | "radam-rectified" | "radam-unadapted";
  readonly beta1: number;
  readonly beta2: number;
  readonly step: number;
  /** √(1 − β₂ᵗ); used by "adam" only. */
  readonly sqrtBc2: number;
  readonly epsilon: number;
}

/** The kernel's coefficient vector: [mode, β₁, 1 − β₁, β₂, 1 − β₂, step, √bc₂, ε]. */
function adamCoefficientVector(k: AdamCoefficients): number[] {
  const mode = ["adam", "radam-rectified", "radam-unadapted"].indexOf(k.mode);
  return [mode, k.beta1, 1 - k.beta1, k.beta2, 1 - k.beta2, k.step, k.sqrtBc2, k.epsilon];
}

/**
 * The updated parameter and moments, by the active backend's fused kernel, or undefined when it has
 * none or the four tensors are not float32 of one shape.
 */
export function fusedAdamStep(
  p: Tensor,
  m: Tensor,
  v: Tensor,
  g: Tensor,
  k: AdamCoefficients,
): { p: Tensor; m: Tensor; v: Tensor } | undefined {
  const all = [p, m, v, g];
  if (all.some((t) => t.dtype !== "float32" || t.rank !== p.rank || t.shape.some((d, i) => d !== p.shape[i])))
    return undefined;
  if (!fusedKernelAvailable(FusedKernel.adamStep)) return undefined;
  const attrs = { coefficients: adamCoefficientVector(k) };
  const [p2, m2, v2] = tf.engine().runKernel(FusedKernel.adamStep, { p, m, v, g }, attrs) as Tensor[];
  return { p: p2!, m: m2!, v: v2! };
}
