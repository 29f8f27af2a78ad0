// Data-movement kernels: Slice, SplitV (concat's gradient), Concat, Tile (broadcastTo), Transpose,
// PadV2 and nearest-neighbour resizing with its gradient. tfjs's cpu versions compute an index per element for strided blocks (a U-Net's
// channel concat and its SplitV gradient took seconds per step); the addon copies contiguous runs.

import {
  attrsOf,
  type CpuBackend,
  float32Values,
  maxNativeRank,
  type NativeKernel,
  output,
  outputArray,
  sizeOf,
} from "./kernel-utils.js";
import { tf } from "./tf.js";

const i32 = (v: readonly number[]) => Int32Array.from(v);

// A block of x as its own tensor: a view when contiguous (as the cpu kernel does), else a copy.
function block(
  backend: CpuBackend,
  addon: Parameters<NativeKernel>[1],
  x: tf.TensorInfo,
  values: Float32Array,
  begin: number[],
  size: number[],
): tf.TensorInfo {
  if (tf.slice_util.isSliceContinous(x.shape, begin, size)) {
    const offset = tf.slice_util.computeFlatOffset(begin, tf.util.computeStrides(x.shape));
    return output(backend, size, values.subarray(offset, offset + sizeOf(size)));
  }
  const out = outputArray(backend, sizeOf(size));
  addon.copyBlock(values, i32(x.shape), i32(begin), out, i32(size), i32(size.map(() => 0)), i32(size));
  return output(backend, size, out);
}

const slice: NativeKernel = (args, addon) => {
  const backend = args.backend as CpuBackend;
  const { x } = args.inputs;
  const xv = float32Values(backend, x);
  if (x === undefined || xv === undefined || x.shape.length > maxNativeRank) return undefined;
  const { begin, size } = attrsOf<tf.SliceAttrs>(args);
  const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size) as [number[], number[]];
  tf.slice_util.assertParamsValid(x as tf.Tensor, b, s);
  return block(backend, addon, x, xv, b, s);
};

const splitV: NativeKernel = (args, addon) => {
  const backend = args.backend as CpuBackend;
  const { x } = args.inputs;
  const xv = float32Values(backend, x);
  if (x === undefined || xv === undefined || x.shape.length > maxNativeRank) return undefined;
  const { numOrSizeSplits, axis } = attrsOf<tf.SplitVAttrs>(args);
  const a = tf.util.parseAxisParam(axis, x.shape)[0]!;
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, a);
  const begin = x.shape.map(() => 0);
  return sizes.map((s) => {
    const size = x.shape.slice();
    size[a] = s;
    const piece = block(backend, addon, x, xv, begin.slice(), size);
    begin[a]! += s;
    return piece;
  });
};

const concat: NativeKernel = (args, addon) => {
  const backend = args.backend as CpuBackend;
  // Concat's inputs arrive as an array (tfjs passes the tensor list as the inputs map).
  const inputs = args.inputs as unknown as tf.TensorInfo[];
  if (!Array.isArray(inputs) || inputs.length < 2 || inputs[0]!.shape.length > maxNativeRank)
    return undefined;
  const values = inputs.map((t) => float32Values(backend, t));
  if (values.some((v) => v === undefined)) return undefined;
  const { axis } = attrsOf<tf.ConcatAttrs>(args);
  const a = tf.util.parseAxisParam(axis, inputs[0]!.shape)[0]!;
  const shapes = inputs.map((t) => t.shape);
  tf.backend_util.assertParamsConsistent(shapes, a);
  const shape = tf.backend_util.computeOutShape(shapes, a);
  const out = outputArray(args.backend, sizeOf(shape));
  const begin = shape.map(() => 0);
  inputs.forEach((t, i) => {
    addon.copyBlock(
      values[i]!,
      i32(t.shape),
      i32(t.shape.map(() => 0)),
      out,
      i32(shape),
      i32(begin),
      i32(t.shape),
    );
    begin[a]! += t.shape[a]!;
  });
  return output(backend, shape, out);
};

const resizeNearestNeighbor: NativeKernel = (args, addon) => {
  const backend = args.backend as CpuBackend;
  const { images } = args.inputs;
  const xv = float32Values(backend, images);
  if (images === undefined || xv === undefined || images.shape.length !== 4) return undefined;
  const { alignCorners, halfPixelCenters, size } = attrsOf<tf.ResizeNearestNeighborAttrs>(args);
  const [b, h, w, c] = images.shape as [number, number, number, number];
  const [oh, ow] = size;
  const y = outputArray(args.backend, b * oh * ow * c);
  addon.resizeNearest(xv, y, b, h, w, c, oh, ow, alignCorners, halfPixelCenters);
  return output(backend, [b, oh, ow, c], y);
};

const resizeNearestNeighborGrad: NativeKernel = (args, addon) => {
  const backend = args.backend as CpuBackend;
  const { images, dy } = args.inputs;
  const dyv = float32Values(backend, dy);
  if (images === undefined || dy === undefined || dyv === undefined) return undefined;
  if (images.shape.length !== 4 || dy.shape.length !== 4) return undefined;
  const { alignCorners } = attrsOf<tf.ResizeNearestNeighborGradAttrs>(args);
  const [b, h, w, c] = images.shape as [number, number, number, number];
  const [, oh, ow] = dy.shape as [number, number, number, number];
  if (dy.shape[0] !== b || dy.shape[3] !== c) return undefined;
  const dx = outputArray(args.backend, b * h * w * c);
  addon.resizeNearestGrad(dyv, dx, b, h, w, c, oh, ow, alignCorners);
  return output(backend, [b, h, w, c], dx);
};

const tile: NativeKernel = (args, addon) => {
  const backend = args.backend as CpuBackend;
  const { x } = args.inputs;
  const xv = float32Values(backend, x);
  const { reps } = attrsOf<tf.TileAttrs>(args);
  if (
    x === undefined ||
    xv === undefined ||
    x.shape.length > maxNativeRank ||
    reps.length !== x.shape.length
  ) {
    return undefined;
  }
  const shape = x.shape.map((d, i) => d * reps[i]!);
  const out = outputArray(args.backend, sizeOf(shape));
  if (out.length > 0) addon.tile(xv, i32(x.shape), i32(reps), out);
  return output(backend, shape, out);
};

const transpose: NativeKernel = (args, addon) => {
  const backend = args.backend as CpuBackend;
  const { x } = args.inputs;
  const xv = float32Values(backend, x);
  const { perm } = attrsOf<tf.TransposeAttrs>(args);
  if (
    x === undefined ||
    xv === undefined ||
    x.shape.length > maxNativeRank ||
    perm.length !== x.shape.length
  ) {
    return undefined;
  }
  const shape = perm.map((p) => x.shape[p]!);
  const out = outputArray(args.backend, xv.length);
  if (out.length > 0) addon.transpose(xv, i32(x.shape), i32(perm), out);
  return output(backend, shape, out);
};

// Constant padding: the output filled with the constant, x copied in at the leading pads.
const padV2: NativeKernel = (args, addon) => {
  const backend = args.backend as CpuBackend;
  const { x } = args.inputs;
  const xv = float32Values(backend, x);
  const { paddings, constantValue } = attrsOf<tf.PadV2Attrs>(args);
  if (
    x === undefined ||
    xv === undefined ||
    x.shape.length > maxNativeRank ||
    paddings.length !== x.shape.length
  ) {
    return undefined;
  }
  if (paddings.some(([before, after]) => before! < 0 || after! < 0)) return undefined;
  const shape = x.shape.map((d, i) => paddings[i]![0]! + d + paddings[i]![1]!);
  const out = outputArray(args.backend, sizeOf(shape));
  out.fill(constantValue); // a pooled array holds old values, not zeros
  if (xv.length > 0) {
    addon.copyBlock(
      xv,
      i32(x.shape),
      i32(x.shape.map(() => 0)),
      out,
      i32(shape),
      i32(paddings.map((p) => p[0]!)),
      i32(x.shape),
    );
  }
  return output(backend, shape, out);
};

/** The native data-movement kernels by tfjs kernel name. */
export const layoutKernels: Readonly<Record<string, NativeKernel>> = {
  [tf.Slice]: slice,
  [tf.SplitV]: splitV,
  [tf.Concat]: concat,
  [tf.Tile]: tile,
  [tf.Transpose]: transpose,
  [tf.PadV2]: padV2,
  [tf.ResizeNearestNeighbor]: resizeNearestNeighbor,
  [tf.ResizeNearestNeighborGrad]: resizeNearestNeighborGrad,
};
