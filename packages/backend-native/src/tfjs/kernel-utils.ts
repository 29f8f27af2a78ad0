// What every native kernel shares: reading float32 inputs out of the cpu backend's storage, wrapping
// outputs, and the convention that a kernel returns undefined to hand a case to tfjs's cpu kernel.
import type { NativeAddon } from "../kernels.js";
import { poolOf } from "./buffer-pool.js";
import type { tf } from "./tf.js";

/** The cpu backend class the "native" backend instantiates (it keeps tensors as typed arrays). */
export type CpuBackend = tf.MathBackendCPU;

/** The arguments tfjs passes a kernel function. */
export interface KernelArgs {
  readonly inputs: tf.NamedTensorInfoMap;
  readonly backend: unknown;
  readonly attrs?: tf.NamedAttrMap;
}

/**
 * A native kernel: the output, or undefined for a case it leaves to the cpu kernel (another dtype,
 * NCHW, a shape tfjs must reject with its own error).
 */
export type NativeKernel = (
  args: KernelArgs,
  addon: NativeAddon,
) => tf.TensorInfo | tf.TensorInfo[] | undefined;

/** The highest rank the addon's broadcasting and block copies take; higher ranks go to the cpu kernel. */
export const maxNativeRank = 8;

/** The float32 storage of a tensor on the cpu-derived backend, or undefined for any other dtype. */
export function float32Values(backend: CpuBackend, t: tf.TensorInfo | undefined): Float32Array | undefined {
  if (t === undefined || t.dtype !== "float32") return undefined;
  const values = backend.data.get(t.dataId)?.values;
  return values instanceof Float32Array ? values : undefined;
}

/**
 * An output array of n floats for a kernel that overwrites every element: from the backend's pool
 * (./buffer-pool.ts) where it has one, so its contents are arbitrary until the kernel writes them.
 */
export function outputArray(backend: unknown, n: number): Float32Array {
  return poolOf(backend)?.take(n) ?? new Float32Array(n);
}

/** The number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A float32 output tensor owning `values`. */
export function output(backend: CpuBackend, shape: number[], values: Float32Array): tf.TensorInfo {
  return backend.makeTensorInfo(shape, "float32", values);
}

/** The attrs of a kernel call, typed as the kernel's attribute interface. */
export function attrsOf<T>(args: KernelArgs): T {
  return (args.attrs ?? {}) as unknown as T;
}
