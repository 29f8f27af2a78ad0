// Normalisations built from primitives (exact JVPs by composition): moments, group norm (paper §4.1:
// GroupNorm, not BatchNorm, keeps per-sample JVPs), layer norm and pixel norm (§4.1's adaptive double
// normalisation, pnorm(v) = v/√(mean(v²) + ε)). No affine parameters: networks apply their own.
import type { Tensor } from "@scm/backend";
import { ShapeError } from "../errors.js";
import { add, mul, rsqrt, square, sub } from "./arithmetic.js";
import { type Axis, mean } from "./reduction.js";
import { reshape } from "./shape.js";

/** Mean and (biased) variance of `x` over `axis` (tf.moments). */
export function moments(x: Tensor, axis?: Axis, keepDims = false): { mean: Tensor; variance: Tensor } {
  const m = mean(x, axis, true);
  const variance = mean(square(sub(x, m)), axis, keepDims);
  return { mean: keepDims ? m : reshape(m, variance.shape), variance };
}

/** (x − mean)/√(variance + ε) with statistics over `axis`, kept for broadcasting. */
function standardize(x: Tensor, axis: number[], eps: number): Tensor {
  const { mean: m, variance } = moments(x, axis, true);
  return mul(sub(x, m), rsqrt(add(variance, eps)));
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
