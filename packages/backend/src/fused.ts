// Optional fused ops. A backend may register kernels under these names (today only "native" does,
// see native/fused-kernels.ts) that compute a composite in one pass, with a registered gradient. The
// functions here run the fused kernel when the active backend has it and return undefined otherwise,
// so callers (@scm/jvp's `silu` and `standardize` primitives, which own their JVP rules and the choice
// between these kernels and the composed ops) keep their composed tfjs code, and its exact results, on
// every other backend. Plain forward-kernel calls: nothing here knows of tapes or tangents. Browser-safe.
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
