// The fused modulation y = x⊙s + b (paper §4.1: the affine of GroupNorm/LayerNorm and AdaGN's
// norm(x)⊙s(t) + b(t)), s and b [B, C] per sample or [C] shared, broadcast over x [B, ..., C]'s
// middle axes. As for the other fused ops (fused.ts), these run the active backend's kernel when it has
// one (today only "native") and return undefined otherwise, leaving the caller's composed tfjs code,
// and its exact results, to every other backend. Browser-safe: plain tfjs calls only.
import { FusedKernel, fusedKernelAvailable, tapeOn } from "./fused.js";
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

function fuses(x: Tensor, ...vs: (Tensor | undefined)[]): boolean {
  if (x.dtype !== "float32") return false;
  return vs.every(
    (v) => v === undefined || (v.dtype === "float32" && scaleShiftView(x.shape, v.shape) !== undefined),
  );
}

/** x⊙scale + shift by the active backend's fused kernel, or undefined when it has none for these shapes. */
export function fusedScaleShift(x: Tensor, scale: Tensor, shift: Tensor): Tensor | undefined {
  if (!fuses(x, scale, shift) || !fusedKernelAvailable(FusedKernel.scaleShift)) return undefined;
  return tf.engine().runKernel(FusedKernel.scaleShift, { x, scale, shift }) as Tensor;
}

/**
 * x⊙scale + shift and its JVP ẋ⊙s + x⊙ṡ + ḃ at once (undefined tangents are zeros), by the fused
 * kernels. Undefined when the backend has none, when x and scale both lack tangents, or when a gradient
 * tape is recording (the tangent kernel has no gradient, so reverse mode over a JVP keeps the composed
 * rule).
 */
export function fusedScaleShiftJvp(
  x: Tensor,
  scale: Tensor,
  shift: Tensor,
  tx: Tensor | undefined,
  tscale: Tensor | undefined,
  tshift: Tensor | undefined,
): [Tensor, Tensor] | undefined {
  if (tapeOn() || (tx === undefined && tscale === undefined)) return undefined;
  if (!fuses(x, scale, shift, tscale, tshift) || (tx !== undefined && !fuses(tx))) return undefined;
  if (tx !== undefined && (tx.rank !== x.rank || tx.shape.some((d, i) => d !== x.shape[i]))) return undefined;
  if (!fusedKernelAvailable(FusedKernel.scaleShiftJvp)) return undefined;
  const y = fusedScaleShift(x, scale, shift);
  if (y === undefined) return undefined;
  const inputs: Record<string, Tensor> = { x, scale };
  if (tx !== undefined) inputs.dx = tx;
  if (tscale !== undefined) inputs.dscale = tscale;
  if (tshift !== undefined) inputs.dshift = tshift;
  return [y, tf.engine().runKernel(FusedKernel.scaleShiftJvp, inputs) as Tensor];
}
