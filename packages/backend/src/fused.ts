// Optional fused ops. A backend may register kernels under these names (today only "native" does,
// see native/fused-kernels.ts) that compute a composite in one pass, with a registered gradient. The
// functions here run the fused kernel when the active backend has it and return undefined otherwise,
// so callers (@scm/jvp's `silu` and `standardize` primitives) keep their composed tfjs code, and its
// exact results, on every other backend. Browser-safe: plain tfjs calls only.
import type { Rng } from "./rng.js";
import { type Tensor, tf } from "./tf.js";

/** The tfjs kernel names of the fused ops. */
export const FusedKernel = {
  silu: "ScmFusedSilu",
  siluGrad: "ScmFusedSiluGrad",
  standardize: "ScmFusedStandardize",
  standardizeGrad: "ScmFusedStandardizeGrad",
  scaleShift: "ScmFusedScaleShift",
  scaleShiftGrad: "ScmFusedScaleShiftGrad",
  scaleShiftJvp: "ScmFusedScaleShiftJvp",
  conv2dBias: "ScmFusedConv2DBias",
  dropoutMask: "ScmDropoutMask",
  adamStep: "ScmAdamStep",
} as const;
/** A fused kernel's name. */
export type FusedKernelName = (typeof FusedKernel)[keyof typeof FusedKernel];

/** Whether the active backend registers the fused kernel `name`. */
export function fusedKernelAvailable(name: FusedKernelName): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/** The [batch, n, groups, k] view of a standardisation's axes, or undefined when they do not fit one. */
export function standardizeView(
  shape: readonly number[],
  axis: readonly number[],
): [number, number, number, number] | undefined {
  const rank = shape.length;
  const reduced = new Set(axis.map((a) => (a < 0 ? a + rank : a)));
  if (reduced.size === 0 || [...reduced].some((a) => !Number.isInteger(a) || a < 0 || a >= rank))
    return undefined;
  // Runs of consecutive reduced / kept dimensions with their extents.
  const runs: { reduced: boolean; size: number }[] = [];
  for (let d = 0; d < rank; d++) {
    const r = reduced.has(d);
    const last = runs[runs.length - 1];
    if (last !== undefined && last.reduced === r) last.size *= shape[d]!;
    else runs.push({ reduced: r, size: shape[d]! });
  }
  const batch = runs[0]!.reduced ? 1 : runs.shift()!.size;
  const pattern = runs.map((r) => (r.reduced ? "R" : "K")).join("");
  const s = runs.map((r) => r.size);
  if (pattern === "R") return [batch, 1, 1, s[0]!];
  if (pattern === "RK") return [batch, s[0]!, s[1]!, 1];
  if (pattern === "RKR") return [batch, s[0]!, s[1]!, s[2]!];
  return undefined;
}

/** x·σ(x) by the active backend's fused kernel, or undefined when it has none for x. */
export function fusedSilu(x: Tensor): Tensor | undefined {
  if (x.dtype !== "float32" || !fusedKernelAvailable(FusedKernel.silu)) return undefined;
  return tf.engine().runKernel(FusedKernel.silu, { x }) as Tensor;
}

/**
 * (x − μ)/√(σ² + eps) with μ, σ² over `axis`, by the active backend's fused kernel; undefined when it
 * has none or the axes do not form a [batch, n, groups, k] view (see standardizeView).
 */
export function fusedStandardize(x: Tensor, axis: readonly number[], eps: number): Tensor | undefined {
  if (x.dtype !== "float32" || !fusedKernelAvailable(FusedKernel.standardize)) return undefined;
  if (standardizeView(x.shape, axis) === undefined) return undefined;
  const [y, rstd] = tf
    .engine()
    .runKernel(FusedKernel.standardize, { x }, { axis: [...axis], eps }) as Tensor[];
  rstd!.dispose();
  return y!;
}

/**
 * A dropout mask of `shape` drawn from `rng` (0 where its uniform is below `rate`, else 1/(1 − rate)) by
 * the active backend's kernel, the same numbers as @scm/jvp's JavaScript loop; undefined without one.
 * `rng` is not advanced (callers pass a fresh child stream, `rng.at(layer)`).
 */
export function fusedDropoutMask(rng: Rng, shape: readonly number[], rate: number): Tensor | undefined {
  if (!fusedKernelAvailable(FusedKernel.dropoutMask)) return undefined;
  const attrs = { state: [...rng.state().s], shape: [...shape], rate };
  return tf.engine().runKernel(FusedKernel.dropoutMask, {}, attrs) as Tensor;
}

/** Whether a gradient tape is recording (a fused tangent kernel, which has no gradient, must not run). */
export function tapeOn(): boolean {
  return (tf.engine() as unknown as { isTapeOn(): boolean }).isTapeOn();
}

/**
 * SiLU and its JVP at once, [x·σ(x), t·(σ + x·σ·(1 − σ))], by the fused kernels (the tangent is SiLU's
 * gradient kernel applied to t). Undefined when the backend has none or a gradient tape is recording:
 * the tangent kernel has no gradient of its own, so reverse mode over a JVP keeps the composed rule.
 */
export function fusedSiluJvp(x: Tensor, t: Tensor): [Tensor, Tensor] | undefined {
  if (x.dtype !== "float32" || t.dtype !== "float32" || tapeOn()) return undefined;
  if (x.rank !== t.rank || x.shape.some((d, i) => d !== t.shape[i])) return undefined;
  if (!fusedKernelAvailable(FusedKernel.siluGrad)) return undefined;
  const y = fusedSilu(x);
  if (y === undefined) return undefined;
  return [y, tf.engine().runKernel(FusedKernel.siluGrad, { x, dy: t }) as Tensor];
}

/**
 * standardize and its JVP at once: y and ẏ = r·(ṫ − mean(ṫ) − y·mean(y⊙ṫ)), the standardisation's
 * gradient kernel applied to the tangent (the map is self-adjoint; it equals the composed rule's
 * r·(ẋ_c − y·mean(y⊙ẋ_c)) because mean(y) = 0). Undefined as for fusedSiluJvp.
 */
export function fusedStandardizeJvp(
  x: Tensor,
  t: Tensor,
  axis: readonly number[],
  eps: number,
): [Tensor, Tensor] | undefined {
  if (x.dtype !== "float32" || t.dtype !== "float32" || tapeOn()) return undefined;
  if (x.rank !== t.rank || x.shape.some((d, i) => d !== t.shape[i])) return undefined;
  if (!fusedKernelAvailable(FusedKernel.standardize) || !fusedKernelAvailable(FusedKernel.standardizeGrad)) {
    return undefined;
  }
  if (standardizeView(x.shape, axis) === undefined) return undefined;
  const attrs = { axis: [...axis], eps };
  const [y, rstd] = tf.engine().runKernel(FusedKernel.standardize, { x }, attrs) as Tensor[];
  const dy = tf
    .engine()
    .runKernel(FusedKernel.standardizeGrad, { dy: t, y: y!, rstd: rstd! }, attrs) as Tensor;
  rstd!.dispose();
  return [y!, dy];
}
