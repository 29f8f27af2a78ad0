// Conv2D, FusedConv2D and both Conv2D gradients on the addon's chunked im2col + sgemm, and average
// pooling with its gradient; NHWC only
// (NCHW goes to the cpu kernels). tfjs's computeConv2DInfo resolves padding ('same', 'valid',
// explicit) and strides exactly as the cpu kernels do, and throws tfjs's errors for bad configs.
import { type NativeAddon, packConvGeometry } from "../kernels.js";
import { applyBiasActivation } from "./fused-activation.js";
import {
  attrsOf,
  type CpuBackend,
  float32Values,
  type KernelArgs,
  type NativeKernel,
  output,
  outputArray,
  sizeOf,
} from "./kernel-utils.js";
import { tf } from "./tf.js";

type Conv2DInfo = tf.backend_util.Conv2DInfo;
type Shape4 = [number, number, number, number];

function geometry(info: Conv2DInfo): Int32Array {
  return packConvGeometry({
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  });
}

function validOutput(info: Conv2DInfo): boolean {
  return info.outHeight >= 0 && info.outWidth >= 0;
}

function channelsLast(dataFormat: string | undefined): boolean {
  return dataFormat === undefined || dataFormat === "NHWC" || dataFormat === "channelsLast";
}

/**
 * The forward convolution shared by Conv2D, FusedConv2D and ScmFusedConv2DBias: [shape, values] or
 * undefined for the cpu. `bias` ([outC] values) is added inside the addon's GEMM output pass.
 */
export function convForward(
  args: KernelArgs,
  addon: NativeAddon,
  bias?: Float32Array,
): [number[], Float32Array] | undefined {
  const backend = args.backend as CpuBackend;
  const { x, filter } = args.inputs;
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrsOf<tf.Conv2DAttrs>(args);
  const xv = float32Values(backend, x);
  const wv = float32Values(backend, filter);
  if (x === undefined || filter === undefined || xv === undefined || wv === undefined) return undefined;
  if (!channelsLast(dataFormat) || x.shape.length !== 4 || filter.shape.length !== 4) return undefined;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filter.shape as Shape4,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    false,
    "channelsLast",
  );
  // A channel mismatch (tfjs's conv2d op rejects it first) or an image smaller than the filter (tfjs
  // computes a negative output shape) is the cpu kernel's to handle.
  if (filter.shape[2] !== info.inChannels || !validOutput(info)) return undefined;
  if (bias !== undefined && bias.length !== info.outChannels) return undefined;
  const y = outputArray(args.backend, sizeOf(info.outShape));
  if (y.length > 0) addon.conv2d(xv, wv, y, geometry(info), bias ?? null);
  return [info.outShape, y];
}

// A bias the conv can add in its output pass: float32 with one value per output channel ([C], [1, …, C]).
function channelBias(
  backend: CpuBackend,
  bias: tf.TensorInfo | undefined,
  c: number,
): Float32Array | undefined {
  const v = float32Values(backend, bias);
  return v !== undefined && v.length === c && bias!.shape[bias!.shape.length - 1] === c ? v : undefined;
}

const conv2D: NativeKernel = (args, addon) => {
  const r = convForward(args, addon);
  return r === undefined ? undefined : output(args.backend as CpuBackend, r[0], r[1]);
};

const fusedConv2D: NativeKernel = (args, addon) => {
  const { activation, leakyreluAlpha } = attrsOf<tf.FusedConv2DAttrs>(args);
  const { bias, preluActivationWeights } = args.inputs;
  // A linear conv with a per-channel bias: the bias rides in the conv's output pass (same rounding).
  const linear = activation === undefined || activation === "linear";
  const inner = linear
    ? channelBias(args.backend as CpuBackend, bias, args.inputs.filter?.shape[3] ?? -1)
    : undefined;
  if (inner !== undefined) {
    const r = convForward(args, addon, inner);
    if (r !== undefined) return output(args.backend as CpuBackend, r[0], r[1]);
  }
  const r = convForward(args, addon);
  if (r === undefined) return undefined;
  return applyBiasActivation(
    args.backend as CpuBackend,
    addon,
    r[1],
    r[0],
    bias,
    activation,
    preluActivationWeights,
    leakyreluAlpha,
  );
};

const conv2DBackpropInput: NativeKernel = (args, addon) => {
  const backend = args.backend as CpuBackend;
  const { dy, filter } = args.inputs;
  const { inputShape, strides, pad, dataFormat, dimRoundingMode } =
    attrsOf<tf.Conv2DBackpropInputAttrs>(args);
  const dyv = float32Values(backend, dy);
  const wv = float32Values(backend, filter);
  if (dy === undefined || filter === undefined || dyv === undefined || wv === undefined) return undefined;
  if (!channelsLast(dataFormat) || inputShape.length !== 4 || filter.shape.length !== 4) return undefined;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as Shape4,
    strides,
    1, // tfjs has no dilated conv gradients
    pad,
    dimRoundingMode,
    false,
    "channelsLast",
  );
  if (
    !tf.util.arraysEqual(dy.shape, info.outShape) ||
    filter.shape[2] !== info.inChannels ||
    !validOutput(info)
  ) {
    return undefined;
  }
  const dx = outputArray(args.backend, sizeOf(info.inShape));
  if (dx.length > 0) addon.conv2dBackpropInput(dyv, wv, dx, geometry(info));
  return output(backend, info.inShape, dx);
};

const conv2DBackpropFilter: NativeKernel = (args, addon) => {
  const backend = args.backend as CpuBackend;
  const { x, dy } = args.inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrsOf<tf.Conv2DBackpropFilterAttrs>(args);
  const xv = float32Values(backend, x);
  const dyv = float32Values(backend, dy);
  if (x === undefined || dy === undefined || xv === undefined || dyv === undefined) return undefined;
  if (!channelsLast(dataFormat) || x.shape.length !== 4 || filterShape.length !== 4) return undefined;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    "channelsLast",
  );
  if (
    !tf.util.arraysEqual(dy.shape, info.outShape) ||
    filterShape[2] !== info.inChannels ||
    !validOutput(info)
  ) {
    return undefined;
  }
  const dw = outputArray(args.backend, sizeOf(info.filterShape));
  if (dw.length > 0) addon.conv2dBackpropFilter(xv, dyv, dw, geometry(info));
  return output(backend, info.filterShape, dw);
};

// AvgPool and AvgPoolGrad share the convolution geometry (channels in = out, no filter).
function poolGeometry(info: Conv2DInfo): Int32Array {
  return geometry({ ...info, outChannels: info.inChannels });
}

const avgPool: NativeKernel = (args, addon) => {
  const backend = args.backend as CpuBackend;
  const { x } = args.inputs;
  const xv = float32Values(backend, x);
  if (x === undefined || xv === undefined || x.shape.length !== 4) return undefined;
  const { filterSize, strides, pad, dimRoundingMode } = attrsOf<tf.AvgPoolAttrs>(args);
  // The cpu kernel asserts strides or dilations are 1 first; dilations are always 1 here.
  const info = tf.backend_util.computePool2DInfo(
    x.shape as Shape4,
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  if (!validOutput(info)) return undefined;
  const y = outputArray(args.backend, sizeOf(info.outShape));
  if (y.length > 0) addon.avgPool(xv, y, poolGeometry(info));
  return output(backend, info.outShape, y);
};

const avgPoolGrad: NativeKernel = (args, addon) => {
  const backend = args.backend as CpuBackend;
  const { dy, input } = args.inputs;
  const dyv = float32Values(backend, dy);
  if (dy === undefined || input === undefined || dyv === undefined || input.shape.length !== 4)
    return undefined;
  const { filterSize, strides, pad } = attrsOf<tf.AvgPoolGradAttrs>(args);
  const info = tf.backend_util.computePool2DInfo(input.shape as Shape4, filterSize, strides, 1, pad);
  if (!validOutput(info) || !tf.util.arraysEqual(dy.shape, info.outShape)) return undefined;
  const dx = outputArray(args.backend, sizeOf(input.shape));
  if (dx.length > 0) addon.avgPoolGrad(dyv, dx, poolGeometry(info));
  return output(backend, input.shape, dx);
};

/** The native convolution and average-pooling kernels by tfjs kernel name. */
export const convKernels: Readonly<Record<string, NativeKernel>> = {
  [tf.Conv2D]: conv2D,
  [tf.FusedConv2D]: fusedConv2D,
  [tf.Conv2DBackpropInput]: conv2DBackpropInput,
  [tf.Conv2DBackpropFilter]: conv2DBackpropFilter,
  [tf.AvgPool]: avgPool,
  [tf.AvgPoolGrad]: avgPoolGrad,
};
