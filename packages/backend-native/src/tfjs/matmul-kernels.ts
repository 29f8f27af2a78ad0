// BatchMatMul and _FusedMatMul on the addon's threaded sgemm. The cpu backend's _FusedMatMul calls its
// own JavaScript matmul directly, so it is replaced too, not only BatchMatMul.
import type { NativeAddon } from "../kernels.js";
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

interface Product {
  readonly shape: number[];
  readonly values: Float32Array;
}

// The product a·b (transposes applied), or undefined for what the cpu kernel should handle: other
// dtypes, ranks below 2, shapes tfjs rejects (its error comes from the cpu kernel), and batch shapes
// that broadcast other than one-against-many.
function product(args: KernelArgs, addon: NativeAddon): Product | undefined {
  const backend = args.backend as CpuBackend;
  const { a, b } = args.inputs;
  const { transposeA, transposeB } = attrsOf<tf.BatchMatMulAttrs>(args);
  const av = float32Values(backend, a);
  const bv = float32Values(backend, b);
  if (a === undefined || b === undefined || av === undefined || bv === undefined) return undefined;
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return undefined;
  const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (k !== kb) return undefined;
  let outer: number[];
  try {
    outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  } catch {
    return undefined;
  }
  const batchA = sizeOf(a.shape.slice(0, -2));
  const batchB = sizeOf(b.shape.slice(0, -2));
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return undefined;
  const shape = [...outer, m, n];
  const values = outputArray(args.backend, sizeOf(shape));
  if (values.length > 0) addon.matmul(av, bv, values, batchA, batchB, m, n, k, transposeA, transposeB);
  return { shape, values };
}

const batchMatMul: NativeKernel = (args, addon) => {
  const p = product(args, addon);
  return p === undefined ? undefined : output(args.backend as CpuBackend, p.shape, p.values);
};

const fusedMatMul: NativeKernel = (args, addon) => {
  const p = product(args, addon);
  if (p === undefined) return undefined;
  const { activation, leakyreluAlpha } = attrsOf<tf._FusedMatMulAttrs>(args);
  const { bias, preluActivationWeights } = args.inputs;
  return applyBiasActivation(
    args.backend as CpuBackend,
    addon,
    p.values,
    p.shape,
    bias,
    activation,
    preluActivationWeights,
    leakyreluAlpha,
  );
};

/** The native matrix-product kernels by tfjs kernel name. */
export const matmulKernels: Readonly<Record<string, NativeKernel>> = {
  [tf.BatchMatMul]: batchMatMul,
  [tf._FusedMatMul]: fusedMatMul,
};
