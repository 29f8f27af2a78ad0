// Bilinear primitives: matMul (batched, with transposes) and the NHWC convolutions. Each tangent is
// the op on (ȧ, b) plus the op on (a, ḃ) (the `bilinear` factory); network parameters carry symbolic
// zero tangents, so under `jvp` a layer costs one extra op of the same size.
import { type Tensor, tf } from "@scm/backend";
import { bilinear } from "../factories.js";
import { bind, type Primitive } from "../trace.js";
import { add } from "./arithmetic.js";

type Pair = readonly [Tensor, Tensor];
/** Convolution padding as tfjs takes it: "same", "valid", a number, or explicit [[0,0],[t,b],[l,r],[0,0]]. */
export type Padding = Parameters<typeof tf.conv2d>[3];
/** Strides or dilations: one number for both spatial axes, or [height, width]. */
export type Pair2 = number | [number, number];
type RoundingMode = "floor" | "round" | "ceil" | undefined;

export interface MatMulParams {
  transposeA: boolean;
  transposeB: boolean;
}
export interface ConvParams {
  strides: Pair2;
  pad: Padding;
  dilations: Pair2;
  dimRoundingMode: RoundingMode;
}
export interface ConvTransposeParams {
  outputShape: [number, number, number, number] | [number, number, number];
  strides: Pair2;
  pad: "valid" | "same" | number;
  dimRoundingMode: RoundingMode;
}

export const linalgPrimitives = {
  matMul: {
    name: "matMul",
    impl: ([a, b], p) => tf.matMul(a, b, p.transposeA, p.transposeB),
    jvp: bilinear((a: Tensor, b: Tensor, p: MatMulParams) => matMul(a, b, p.transposeA, p.transposeB), add),
  } satisfies Primitive<Pair, MatMulParams>,
  conv2d: {
    name: "conv2d",
    impl: ([x, w], p) =>
      tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, p.strides, p.pad, "NHWC", p.dilations, p.dimRoundingMode),
    jvp: bilinear(
      (x: Tensor, w: Tensor, p: ConvParams) =>
        conv2d(x, w, p.strides, p.pad, "NHWC", p.dilations, p.dimRoundingMode),
      add,
    ),
  } satisfies Primitive<Pair, ConvParams>,
  conv2dTranspose: {
    name: "conv2dTranspose",
    impl: ([x, w], p) =>
      tf.conv2dTranspose(
        x as tf.Tensor4D,
        w as tf.Tensor4D,
        p.outputShape,
        p.strides,
        p.pad,
        p.dimRoundingMode,
      ),
    jvp: bilinear(
      (x: Tensor, w: Tensor, p: ConvTransposeParams) =>
        conv2dTranspose(x, w, p.outputShape, p.strides, p.pad, p.dimRoundingMode),
      add,
    ),
  } satisfies Primitive<Pair, ConvTransposeParams>,
  depthwiseConv2d: {
    name: "depthwiseConv2d",
    impl: ([x, w], p) =>
      tf.depthwiseConv2d(
        x as tf.Tensor4D,
        w as tf.Tensor4D,
        p.strides,
        p.pad,
        "NHWC",
        p.dilations,
        p.dimRoundingMode,
      ),
    jvp: bilinear(
      (x: Tensor, w: Tensor, p: ConvParams) =>
        depthwiseConv2d(x, w, p.strides, p.pad, "NHWC", p.dilations, p.dimRoundingMode),
      add,
    ),
  } satisfies Primitive<Pair, ConvParams>,
};

/** a·b over the last two axes, batched over the leading ones, optionally transposing either (tf.matMul). */
export function matMul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  return bind(linalgPrimitives.matMul, [a, b], { transposeA, transposeB });
}

/** 2-D convolution of x [B, H, W, Cin] with filter [kH, kW, Cin, Cout] (tf.conv2d, NHWC only). */
export function conv2d(
  x: Tensor,
  filter: Tensor,
  strides: Pair2,
  pad: Padding,
  dataFormat: "NHWC" = "NHWC",
  dilations: Pair2 = [1, 1],
  dimRoundingMode?: RoundingMode,
): Tensor {
  checkNhwc(dataFormat);
  return bind(linalgPrimitives.conv2d, [x, filter], { strides, pad, dilations, dimRoundingMode });
}

/** Transposed convolution of x [B, H, W, Cin] with filter [kH, kW, Cout, Cin] (tf.conv2dTranspose). */
export function conv2dTranspose(
  x: Tensor,
  filter: Tensor,
  outputShape: [number, number, number, number] | [number, number, number],
  strides: Pair2,
  pad: "valid" | "same" | number,
  dimRoundingMode?: RoundingMode,
): Tensor {
  return bind(linalgPrimitives.conv2dTranspose, [x, filter], { outputShape, strides, pad, dimRoundingMode });
}

/** Depthwise 2-D convolution of x [B, H, W, C] with filter [kH, kW, C, multiplier] (tf.depthwiseConv2d). */
export function depthwiseConv2d(
  x: Tensor,
  filter: Tensor,
  strides: Pair2,
  pad: Padding,
  dataFormat: "NHWC" = "NHWC",
  dilations: Pair2 = [1, 1],
  dimRoundingMode?: RoundingMode,
): Tensor {
  checkNhwc(dataFormat);
  return bind(linalgPrimitives.depthwiseConv2d, [x, filter], { strides, pad, dilations, dimRoundingMode });
}

function checkNhwc(dataFormat: string): void {
  if (dataFormat !== "NHWC") {
    throw new RangeError(`dataFormat is "${dataFormat}"; expected "NHWC" (sCM-TS is NHWC throughout).`);
  }
}
