// conv2d(x, W) + b in one kernel: the native backend adds the per-channel bias in its convolution's
// GEMM output pass, saving the separate Add pass over every conv output of a U-Net (and the fresh
// array it writes). Returns undefined where the active backend has no such kernel, so callers keep
// their composed conv2d + add (and its exact results, and nets' custom filter-gradient path on
// cpu/wasm) there. Browser-safe: plain tfjs calls only.
import { FusedKernel, fusedKernelAvailable } from "./fused.js";
import { type Tensor, tf } from "./tf.js";

/** Strides and padding of `fusedConv2dBias` (NHWC, dilation 1), as tf.conv2d takes them. */
export interface ConvBiasAttrs {
  strides: number | [number, number];
  pad: "same" | "valid" | number;
}

/**
 * conv2d(x [B, H, W, Cin], filter [kH, kW, Cin, Cout]) + bias [Cout] by the active backend's fused
 * kernel, or undefined when it has none or the inputs do not fit it.
 */
export function fusedConv2dBias(
  x: Tensor,
  filter: Tensor,
  bias: Tensor,
  attrs: ConvBiasAttrs,
): Tensor | undefined {
  if ([x, filter, bias].some((t) => t.dtype !== "float32")) return undefined;
  if (x.rank !== 4 || filter.rank !== 4 || bias.rank !== 1) return undefined;
  if (filter.shape[2] !== x.shape[3] || bias.shape[0] !== filter.shape[3]) return undefined;
  if (!fusedKernelAvailable(FusedKernel.conv2dBias)) return undefined;
  const { strides, pad } = attrs;
  return tf.engine().runKernel(FusedKernel.conv2dBias, { x, filter, bias }, { strides, pad }) as Tensor;
}
