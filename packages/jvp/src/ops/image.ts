// Spatial resampling, all linear in the image: average pooling and nearest / bilinear resizing. The
// tangent is the same resampling of the tangent (the `linear` factory).
import { type Tensor, tf } from "@scm/backend";
import { linear } from "../factories.js";
import { bind, type Primitive } from "../trace.js";
import type { Pair2 } from "./linalg.js";

type Unary = readonly [Tensor];
export interface PoolParams {
  filterSize: Pair2;
  strides: Pair2;
  pad: "valid" | "same" | number;
  dimRoundingMode: "floor" | "round" | "ceil" | undefined;
}
export interface ResizeParams {
  size: [number, number];
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

const pair = (v: Pair2): [number, number] => (typeof v === "number" ? [v, v] : v);

/**
 * tf.avgPool with "same" padding, as explicit zero padding, a "valid" pool and division by the
 * number of in-image taps: the same values as tfjs, but tfjs 4.22's own gradient of the "same" form
 * is wrong (it divides border taps by the full window), and this one's tape is right.
 */
function avgPoolSame(x: tf.Tensor4D, filterSize: Pair2, strides: Pair2): Tensor {
  const [, h, w] = x.shape;
  const [kh, kw] = pair(filterSize);
  const [sh, sw] = pair(strides);
  const padding = (size: number, k: number, s: number): [number, number] => {
    const total = Math.max((Math.ceil(size / s) - 1) * s + k - size, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  };
  const paddings: Array<[number, number]> = [[0, 0], padding(h, kh, sh), padding(w, kw, sw), [0, 0]];
  const sumPool = (t: Tensor) =>
    tf.mul(tf.avgPool(tf.pad(t, paddings) as tf.Tensor4D, [kh, kw], [sh, sw], "valid"), kh * kw);
  return tf.tidy(() => tf.div(sumPool(x), sumPool(tf.ones([1, h, w, 1])))); // [B, H/s, W/s, C]
}

/** Source index of each output row (or column) in tfjs's nearest-neighbour resize (its cpu kernel's formula). */
function nearestIndices(
  oldSize: number,
  newSize: number,
  alignCorners: boolean,
  halfPixelCenters: boolean,
): number[] {
  const corners = alignCorners && newSize > 1;
  const ratio = (corners ? oldSize - 1 : oldSize) / (corners ? newSize - 1 : newSize);
  return Array.from({ length: newSize }, (_, r) => {
    const frac = halfPixelCenters ? ratio * (r + 0.5) : ratio * r;
    const nearest = Math.min(oldSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
    return halfPixelCenters ? Math.max(0, nearest) : nearest;
  });
}

/**
 * tf.image.resizeNearestNeighbor as a broadcast (integer factors) or two gathers (rows, then columns): the
 * same values, but tfjs
 * 4.22's ResizeNearestNeighborGrad is wrong for batches of more than one and with half-pixel
 * centres, while gather's gradient is right.
 */
function resizeNearest(x: tf.Tensor4D, p: ResizeParams): Tensor {
  const [b, h, w, c] = x.shape;
  const [fh, fw] = [p.size[0] / h, p.size[1] / w];
  if (Number.isInteger(fh) && Number.isInteger(fw) && !p.alignCorners) {
    // Integer up-sampling (with or without half-pixel centres) repeats each pixel fh×fw times: a
    // broadcast of a reshape, faster than gathers and differentiable on every backend.
    return tf.tidy(() => {
      // Broadcasting multiply by ones: its gradient sums over the repeats at any rank (Tile's stops at 4).
      const expanded = tf.mul(tf.reshape(x, [b, h, 1, w, 1, c]), tf.ones([1, 1, fh, 1, fw, 1]));
      return tf.reshape(expanded, [b, h * fh, w * fw, c]);
    });
  }
  const rows = nearestIndices(h, p.size[0], p.alignCorners, p.halfPixelCenters);
  const cols = nearestIndices(w, p.size[1], p.alignCorners, p.halfPixelCenters);
  return tf.tidy(() => tf.gather(tf.gather(x, rows, 1), cols, 2)); // [B, newH, newW, C]
}

export const imagePrimitives = {
  avgPool: {
    name: "avgPool",
    impl: ([x], p) =>
      p.pad === "same"
        ? avgPoolSame(x as tf.Tensor4D, p.filterSize, p.strides)
        : tf.avgPool(x as tf.Tensor4D, p.filterSize, p.strides, p.pad, p.dimRoundingMode),
    jvp: linear((t, _x, p) => avgPool(t, p.filterSize, p.strides, p.pad, p.dimRoundingMode)),
  } satisfies Primitive<Unary, PoolParams>,
  resizeNearestNeighbor: {
    name: "resizeNearestNeighbor",
    impl: ([x], p) => resizeNearest(x as tf.Tensor4D, p),
    jvp: linear((t, _x, p) => resizeNearestNeighbor(t, p.size, p.alignCorners, p.halfPixelCenters)),
  } satisfies Primitive<Unary, ResizeParams>,
  resizeBilinear: {
    name: "resizeBilinear",
    impl: ([x], p) => tf.image.resizeBilinear(x as tf.Tensor4D, p.size, p.alignCorners, p.halfPixelCenters),
    jvp: linear((t, _x, p) => resizeBilinear(t, p.size, p.alignCorners, p.halfPixelCenters)),
  } satisfies Primitive<Unary, ResizeParams>,
};

/** Average pooling of x [B, H, W, C] (tf.avgPool). */
export function avgPool(
  x: Tensor,
  filterSize: Pair2,
  strides: Pair2,
  pad: "valid" | "same" | number,
  dimRoundingMode?: "floor" | "round" | "ceil",
): Tensor {
  return bind(imagePrimitives.avgPool, [x], { filterSize, strides, pad, dimRoundingMode });
}
/** Nearest-neighbour resize of images [B, H, W, C] to `size` [newH, newW] (tf.image.resizeNearestNeighbor). */
export function resizeNearestNeighbor(
  images: Tensor,
  size: [number, number],
  alignCorners = false,
  halfPixelCenters = false,
): Tensor {
  return bind(imagePrimitives.resizeNearestNeighbor, [images], { size, alignCorners, halfPixelCenters });
}
/** Bilinear resize of images [B, H, W, C] to `size` [newH, newW] (tf.image.resizeBilinear). */
export function resizeBilinear(
  images: Tensor,
  size: [number, number],
  alignCorners = false,
  halfPixelCenters = false,
): Tensor {
  return bind(imagePrimitives.resizeBilinear, [images], { size, alignCorners, halfPixelCenters });
}
