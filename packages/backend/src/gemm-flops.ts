// The GEMM-class tfjs kernels and their floating-point operations, read from `tf.profile`'s kernel
// records (names and shapes; tfjs records no attributes). Benchmarks use them for a roofline: the
// FLOPs a network needs over a machine's GEMM peak is the least time any kernels can take.
// Convolutions count as GEMMs: every backend here runs them as im2col + GEMM or an equivalent.
import { FusedKernel } from "./fused.js";

/** Kernels whose work is a matrix product: convolutions (fused bias included), their gradients, matmuls. */
export const gemmKernelNames: ReadonlySet<string> = new Set([
  "Conv2D",
  "FusedConv2D",
  FusedKernel.conv2dBias,
  "Conv2DBackpropInput",
  "Conv2DBackpropFilter",
  "BatchMatMul",
  "_FusedMatMul",
]);

/** The part of a `tf.profile` kernel record that `gemmFlops` reads. */
export interface ProfiledKernel {
  readonly name: string;
  readonly inputShapes: readonly (readonly number[])[];
  readonly outputShapes: readonly (readonly number[])[];
}

const count = (shape: readonly number[]) => shape.reduce((p, q) => p * q, 1);

/**
 * 2 × the multiply-adds of one profiled kernel; 0 outside `gemmKernelNames`. Exact for any stride and
 * padding: each output (or dy) position costs one dot product of the filter's window.
 */
export function gemmFlops(kernel: ProfiledKernel): number {
  const { name, inputShapes, outputShapes } = kernel;
  if (!gemmKernelNames.has(name)) return 0;
  const [a, b] = inputShapes as [readonly number[], readonly number[]];
  const out = outputShapes[0]!;
  switch (name) {
    case "Conv2DBackpropInput": // inputs (dy, filter [fh, fw, in, out]): one window per dy entry
    case "Conv2DBackpropFilter": {
      // Filter gradient: inputs (x, dy), output dW [fh, fw, in, out]; each dy entry meets fh·fw·in x's.
      const [dy, filter] = name === "Conv2DBackpropInput" ? [a, b] : [b, out];
      return 2 * count(dy) * filter[0]! * filter[1]! * filter[2]!;
    }
    case "BatchMatMul":
    case "_FusedMatMul": {
      // out [..., M, N]; a is [..., M, K] or, transposed, [..., K, M]: K is the dimension that is not M.
      const m = out[out.length - 2]!;
      const k = a[a.length - 2] === m ? a[a.length - 1]! : a[a.length - 2]!;
      return 2 * count(out) * k;
    }
    default: // Conv2D, FusedConv2D, the fused conv + bias: inputs (x, filter [fh, fw, in, out], ...)
      return 2 * count(out) * b[0]! * b[1]! * b[2]!;
  }
}
