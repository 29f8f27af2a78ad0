// conv2d(x, W) + b as one primitive, so that a backend whose convolution adds the bias in its GEMM
// output pass (native) saves the separate Add over every conv output. Its tangent is the bilinear
// conv's plus ḃ: conv2d(ẋ, W) + conv2d(x, Ẇ) + ḃ, written with this package's ops (so it works at any
// nesting level and on every backend); network parameters carry no tangent, so under `jvp` it is one
// conv2d of ẋ, as for the composite. Without the fused kernel the primal is tfjs's conv2d then add.
import { type ConvBiasAttrs, fusedConv2dBias, type Tensor, tf } from "@scm/backend";
import { ShapeError } from "../errors.js";
import { sumTangents } from "../factories.js";
import { bind, type Primitive } from "../trace.js";
import { add, broadcastTo } from "./arithmetic.js";
import { conv2d } from "./linalg.js";

export const convBiasPrimitives = {
  // d(conv(x, W) + b) = conv(ẋ, W) + conv(x, Ẇ) + ḃ
  conv2dBias: {
    name: "conv2dBias",
    impl: ([x, w, b], p) =>
      fusedConv2dBias(x, w, b, p) ??
      tf.tidy(() => tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, p.strides, p.pad), b)),
    jvp: ({ primals: [x, w], tangents: [tx, tw, tb], out, params: p }) =>
      sumTangents(
        sumTangents(
          tx === undefined ? undefined : conv2d(tx, w, p.strides, p.pad),
          tw === undefined ? undefined : conv2d(x, tw, p.strides, p.pad),
          add,
        ),
        tb === undefined ? undefined : broadcastTo(tb, out.shape),
        add,
      ),
  } satisfies Primitive<readonly [Tensor, Tensor, Tensor], ConvBiasAttrs>,
};

/**
 * conv2d(x [B, H, W, Cin], filter [kH, kW, Cin, Cout], strides, pad) + bias [Cout] (NHWC, dilation 1):
 * one kernel on a backend that fuses the bias into the conv (native), conv2d then add elsewhere.
 */
export function conv2dBias(
  x: Tensor,
  filter: Tensor,
  bias: Tensor,
  strides: ConvBiasAttrs["strides"],
  pad: ConvBiasAttrs["pad"],
): Tensor {
  if (bias.rank !== 1 || bias.shape[0] !== filter.shape[3]) {
    throw new ShapeError(
      "conv2dBias's bias",
      bias.shape,
      `[${filter.shape[3]}] (the filter's output channels)`,
    );
  }
  return bind(convBiasPrimitives.conv2dBias, [x, filter, bias], { strides, pad });
}
