// The Int32Array the addon's convolutions take, packed in csrc/addon.c's order.

/** One NHWC convolution: input [batch, inHeight, inWidth, inChannels], filter [fh, fw, in, out]. */
export interface ConvGeometry {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly outChannels: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  /** Rows of zeros above the input (tfjs's `padInfo.top`). */
  readonly padTop: number;
  /** Columns of zeros left of the input (tfjs's `padInfo.left`). */
  readonly padLeft: number;
}

/** Packs a geometry for `conv2d`, `conv2dBackpropInput` and `conv2dBackpropFilter`. */
export function packConvGeometry(g: ConvGeometry): Int32Array {
  return Int32Array.of(
    g.batch,
    g.inHeight,
    g.inWidth,
    g.inChannels,
    g.outHeight,
    g.outWidth,
    g.outChannels,
    g.filterHeight,
    g.filterWidth,
    g.strideHeight,
    g.strideWidth,
    g.dilationHeight,
    g.dilationWidth,
    g.padTop,
    g.padLeft,
  );
}
