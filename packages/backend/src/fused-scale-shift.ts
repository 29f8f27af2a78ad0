// The fused modulation y = x⊙s + b (paper §4.1: the affine of GroupNorm/LayerNorm and AdaGN's
// norm(x)⊙s(t) + b(t)), s and b [B, C] per sample or [C] shared, broadcast over x [B, ..., C]'s
// middle axes. As for the other fused ops (fused.ts), these run the active backend's kernel when it has
// one (today only "native") and return undefined otherwise, leaving the caller's composed tfjs code,
// and its exact results, to every other backend. Browser-safe: plain tfjs calls only.
import { FusedKernel, fusedKernelAvailable } from "./fused.js";
import { type Tensor, tf } from "./tf.js";

/** [batch, n, c] of x [B, ..., C] for a modulation vector v ([B, C] or [C]), or undefined. */
export function scaleShiftView(
  x: readonly number[],
  v: readonly number[],
): [batch: number, n: number, c: number] | undefined {
  if (x.length < 2) return undefined;
  const batch = x[0]!;
  const c = x[x.length - 1]!;
  const fits = (v.length === 1 && v[0] === c) || (v.length === 2 && v[0] === batch && v[1] === c);
  if (!fits) return undefined;
  let n = 1;
  for (let d = 1; d < x.length - 1; d++) n *= x[d]!;
  return [batch, n, c];
}

/** Whether x and each vector given are float32 and fit the fused kernel's [batch, n, c] view. */
export function scaleShiftFits(x: Tensor, ...vs: (Tensor | undefined)[]): boolean {
  if (x.dtype !== "float32") return false;
  return vs.every(
    (v) => v === undefined || (v.dtype === "float32" && scaleShiftView(x.shape, v.shape) !== undefined),
  );
}

/** x⊙scale + shift by the active backend's fused kernel, or undefined when it has none for these shapes. */
export function fusedScaleShift(x: Tensor, scale: Tensor, shift: Tensor): Tensor | undefined {
  if (!scaleShiftFits(x, scale, shift) || !fusedKernelAvailable(FusedKernel.scaleShift)) return undefined;
  return tf.engine().runKernel(FusedKernel.scaleShift, { x, scale, shift }) as Tensor;
}
