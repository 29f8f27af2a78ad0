// The per-channel affine y = x⊙s + b with s, b [B, C] (per sample) or [C] (shared) broadcast over the
// middle axes of x [B, ..., C]: the modulation of the adaptive (double) normalisation, norm(x)⊙s(t) + b(t)
// (paper §4.1), and the learned affine of GroupNorm/LayerNorm. One primitive so that a backend with a
// fused kernel (native) runs the forward, its gradient (dx = dy⊙s, ds = Σ dy⊙x, db = Σ dy over the
// broadcast axes) and the base-level JVP in one pass each. Elsewhere it runs exactly the ops of the
// composite add(mul(x, s), b): the same kernels in the same order, so results are bit-identical to it.
import {
  FusedKernel,
  fusedKernelAvailable,
  fusedScaleShift,
  sameShape,
  scaleShiftFits,
  type Tensor,
  tf,
} from "@scm/backend";
import { ShapeError } from "../errors.js";
import { sumTangents } from "../factories.js";
import { atBaseLevel, bind, type Primitive } from "../trace.js";
import { add, broadcastTo, mul } from "./arithmetic.js";
import { reshape } from "./shape.js";

/** The shape v ([B, C] or [C]) broadcasts from against x of `rank`: [B, 1, ..., 1, C], or [C] as is. */
function broadcastShape(v: readonly number[], rank: number): number[] {
  return v.length === 1 ? [...v] : [v[0]!, ...Array<number>(rank - 2).fill(1), v[1]!];
}

/** v reshaped to broadcast against x of `rank` (a shared [C] vector is used as it is). */
function broadcastable(v: Tensor, rank: number): Tensor {
  return v.rank === 1 ? v : reshape(v, broadcastShape(v.shape, rank));
}

/**
 * x⊙scale + shift and its JVP ẋ⊙s + x⊙ṡ + ḃ at once (undefined tangents are zeros), by two passes of
 * the active backend's fused modulation kernels; undefined where it has none or x and scale both lack
 * tangents. Called at the base level only (atBaseLevel): the tangent kernel has no gradient.
 */
function fusedScaleShiftJvp(
  x: Tensor,
  scale: Tensor,
  shift: Tensor,
  tx: Tensor | undefined,
  tscale: Tensor | undefined,
  tshift: Tensor | undefined,
): [Tensor, Tensor] | undefined {
  if (tx === undefined && tscale === undefined) return undefined;
  if (!scaleShiftFits(x, tscale, tshift)) return undefined;
  if (tx !== undefined && (tx.dtype !== "float32" || !sameShape(tx.shape, x.shape))) return undefined;
  if (!fusedKernelAvailable(FusedKernel.scaleShiftJvp)) return undefined;
  const y = fusedScaleShift(x, scale, shift);
  if (y === undefined) return undefined;
  const inputs: Record<string, Tensor> = { x, scale };
  if (tx !== undefined) inputs.dx = tx;
  if (tscale !== undefined) inputs.dscale = tscale;
  if (tshift !== undefined) inputs.dshift = tshift;
  return [y, tf.engine().runKernel(FusedKernel.scaleShiftJvp, inputs) as Tensor];
}

export const scaleShiftPrimitives = {
  // d(x⊙s + b) = ẋ⊙s + x⊙ṡ + ḃ
  scaleShift: {
    name: "scaleShift",
    // A backend with a fused kernel (the native one) runs it; every other backend the composed ops.
    impl: ([x, s, b]) =>
      fusedScaleShift(x, s, b) ??
      tf.tidy(() => {
        const at = (v: Tensor) => (v.rank === 1 ? v : tf.reshape(v, broadcastShape(v.shape, x.rank)));
        return tf.add(tf.mul(x, at(s)), at(b));
      }),
    jointJvp: ([x, s, b], [tx, ts, tb]) => {
      // Fused (native): y and ẏ by two passes of the modulation kernel.
      const fused = atBaseLevel(() => fusedScaleShiftJvp(x, s, b, tx, ts, tb));
      if (fused !== undefined) return fused;
      // The composite's rules in its order: mul's bilinear ẋ⊙s + x⊙ṡ, then add's ḃ broadcast.
      const at = (v: Tensor) => broadcastable(v, x.rank);
      const sb = at(s);
      const y = add(mul(x, sb), at(b));
      const tProd = sumTangents(
        tx === undefined ? undefined : mul(tx, sb),
        ts === undefined ? undefined : mul(x, at(ts)),
        add,
      );
      const tShift = tb === undefined ? undefined : at(tb);
      const tShiftFull =
        tShift === undefined || sameShape(tShift.shape, y.shape) ? tShift : broadcastTo(tShift, y.shape);
      return [y, sumTangents(tProd, tShiftFull, add)];
    },
  } satisfies Primitive<readonly [Tensor, Tensor, Tensor], undefined>,
};

function checkVector(name: string, x: Tensor, v: Tensor): void {
  const c = x.shape[x.rank - 1]!;
  const ok =
    (v.rank === 1 && v.shape[0] === c) || (v.rank === 2 && v.shape[0] === x.shape[0] && v.shape[1] === c);
  if (!ok) throw new ShapeError(`scaleShift's ${name}`, v.shape, `[${x.shape[0]}, ${c}] or [${c}]`);
}

/**
 * x⊙scale + shift with scale, shift [B, C] (per sample) or [C] (shared) broadcast over the middle axes of
 * x [B, ..., C] (rank ≥ 2): the modulation of paper §4.1 and the norms' affine, one primitive.
 */
export function scaleShift(x: Tensor, scale: Tensor, shift: Tensor): Tensor {
  if (x.rank < 2) throw new ShapeError("scaleShift's x", x.shape, "rank ≥ 2 [B, ..., C]");
  checkVector("scale", x, scale);
  checkVector("shift", x, shift);
  return bind(scaleShiftPrimitives.scaleShift, [x, scale, shift], undefined);
}

/** `scaleShift` composed of mul and add: the reference its rule is tested against. */
export function scaleShiftComposite(x: Tensor, scale: Tensor, shift: Tensor): Tensor {
  return add(mul(x, broadcastable(scale, x.rank)), broadcastable(shift, x.rank));
}
