// Normalisations: moments and pixel norm (§4.1's adaptive double normalisation,
// pnorm(v) = v/√(mean(v²) + ε)) built from primitives; group norm (paper §4.1: GroupNorm, not
// BatchNorm, keeps per-sample JVPs) and layer norm share the `standardize` primitive, whose joint rule
// reuses 1/√(σ² + ε) and costs seven ops instead of the composite's twelve (tested against the
// composite). No affine parameters: networks apply their own.
import {
  FusedKernel,
  fusedKernelAvailable,
  fusedStandardize,
  sameShape,
  standardizeView,
  type Tensor,
  tf,
} from "@scm/backend";
import { ShapeError } from "../errors.js";
import { atBaseLevel, bind, type Primitive } from "../trace.js";
import { add, mul, rsqrt, square, sub } from "./arithmetic.js";
import { type Axis, mean } from "./reduction.js";
import { reshape } from "./shape.js";

/** Mean and (biased) variance of `x` over `axis` (tf.moments). */
export function moments(x: Tensor, axis?: Axis, keepDims = false): { mean: Tensor; variance: Tensor } {
  const m = mean(x, axis, true);
  const variance = mean(square(sub(x, m)), axis, keepDims);
  return { mean: keepDims ? m : reshape(m, variance.shape), variance };
}

/** y = (x − μ)·r with μ, σ² over `axis` and r = 1/√(σ² + ε), all as this package's ops. */
function standardizeParts(x: Tensor, axis: number[], eps: number): { y: Tensor; r: Tensor } {
  const { mean: m, variance } = moments(x, axis, true);
  const r = rsqrt(add(variance, eps));
  return { y: mul(sub(x, m), r), r };
}

/**
 * standardize and its JVP at once: y and ẏ = r·(ẋ − mean(ẋ) − y·mean(y⊙ẋ)), the standardisation's
 * gradient kernel applied to the tangent (the map is self-adjoint; it equals the composed rule's
 * r·(ẋ_c − y·mean(y⊙ẋ_c)) because mean(y) = 0), by the active backend's fused kernels; undefined where
 * it has none or the axes do not fuse. Called at the base level only (atBaseLevel), as for silu.
 */
function fusedStandardizeJvp(
  x: Tensor,
  t: Tensor,
  axis: readonly number[],
  eps: number,
): [Tensor, Tensor] | undefined {
  if (x.dtype !== "float32" || t.dtype !== "float32" || !sameShape(x.shape, t.shape)) return undefined;
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

export const normPrimitives = {
  // With ẋ_c = ẋ − mean(ẋ): σ̇² = (2/r)·mean(y⊙ẋ_c), ṙ = −r²·mean(y⊙ẋ_c), so
  // ẏ = r·ẋ_c + (x − μ)·ṙ = r·(ẋ_c − y·mean(y⊙ẋ_c)).
  standardize: {
    name: "standardize",
    // A backend with a fused kernel (the native one) runs it; every other backend the composed ops.
    impl: ([x], { axis, eps }) =>
      fusedStandardize(x, axis, eps) ??
      tf.tidy(() => {
        const { mean: m, variance } = tf.moments(x, axis, true);
        return tf.mul(tf.sub(x, m), tf.rsqrt(tf.add(variance, eps)));
      }),
    jointJvp: ([x], [t], { axis, eps }) => {
      // Fused (native): y and the same tangent as the self-adjoint gradient map applied to ẋ, two passes.
      const fused = atBaseLevel(() => fusedStandardizeJvp(x, t!, axis, eps));
      if (fused !== undefined) return fused;
      const { y, r } = standardizeParts(x, axis, eps);
      const tc = sub(t!, mean(t!, axis, true));
      return [y, mul(r, sub(tc, mul(y, mean(mul(y, tc), axis, true))))];
    },
  } satisfies Primitive<readonly [Tensor], { axis: number[]; eps: number }>,
};

/** (x − mean)/√(variance + ε) with statistics over `axis` (one primitive, see above). */
export function standardize(x: Tensor, axis: number[], eps: number): Tensor {
  return bind(normPrimitives.standardize, [x], { axis, eps });
}

/** `standardize` composed of primitives: the reference its rule is tested against. */
export function standardizeComposite(x: Tensor, axis: number[], eps: number): Tensor {
  return standardizeParts(x, axis, eps).y;
}

/** Group normalisation of x [B, H, W, C] over (H, W, C/groups) per sample and group (Wu & He 2018). */
export function groupNorm(x: Tensor, groups: number, eps = 1e-5): Tensor {
  if (x.rank !== 4) throw new ShapeError("groupNorm's x", x.shape, "rank 4 [B, H, W, C]");
  const [b, h, w, c] = x.shape as [number, number, number, number];
  if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0) {
    throw new ShapeError("groupNorm's x", x.shape, `a channel count divisible by groups = ${groups}`);
  }
  const grouped = reshape(x, [b, h, w, groups, c / groups]); // [B, H, W, G, C/G]
  return reshape(standardize(grouped, [1, 2, 4], eps), [b, h, w, c]);
}

/** Layer normalisation over the last axis (Ba et al. 2016). */
export function layerNorm(x: Tensor, eps = 1e-5): Tensor {
  return standardize(x, [x.rank - 1], eps);
}

/** Pixel norm over the last axis, v/√(mean(v²) + ε) (paper §4.1, pnorm of the AdaGN modulation). */
export function pixelNorm(v: Tensor, eps = 1e-8): Tensor {
  return mul(v, rsqrt(add(mean(square(v), -1, true), eps)));
}
