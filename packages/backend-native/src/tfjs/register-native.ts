// The "native" tfjs backend: tfjs's cpu backend (same tensor storage, every cpu kernel) with the
// GEMM-class, element-wise, reduction and data-movement kernels replaced by the addon's. Kernels fall back to the
// cpu implementation for anything they do not cover (other dtypes, NCHW, shapes tfjs rejects).
import type { NativeAddon } from "../kernels.js";
import { attachPool, BufferPool } from "./buffer-pool.js";
import { registerConvBiasKernel } from "./conv-bias-kernel.js";
import { convKernels } from "./conv-kernels.js";
import { elementwiseKernels } from "./elementwise-kernels.js";
import { registerFusedKernels } from "./fused-kernels.js";
import type { FusedOps } from "./fused-ops.js";
import type { KernelArgs, NativeKernel } from "./kernel-utils.js";
import { layoutKernels } from "./layout-kernels.js";
import { matmulKernels } from "./matmul-kernels.js";
import { reduceKernels } from "./reduce-kernels.js";
import { registerScaleShiftKernels } from "./scale-shift-kernels.js";
import { tf } from "./tf.js";

/** The most memory the backend keeps idle for reusing kernel outputs (./buffer-pool.ts). */
export const poolIdleBytes = 1 << 30;

/** tfjs's name of the backend. */
export const nativeBackendName = "native";

/** Every kernel the addon replaces, by tfjs kernel name. */
export const nativeKernels: Readonly<Record<string, NativeKernel>> = {
  ...matmulKernels,
  ...convKernels,
  ...elementwiseKernels,
  ...reduceKernels,
  ...layoutKernels,
};

/**
 * Registers the "native" backend once per process: a new cpu backend instance with all of the cpu
 * backend's kernels, the `nativeKernels` among them running on `addon`, and, given @scm/backend's
 * `fused` ops, their fused kernels with their gradients.
 */
export function registerNativeBackend(addon: NativeAddon, fused?: FusedOps): void {
  if (tf.findBackendFactory(nativeBackendName) != null) return;
  const cpuFactory = tf.findBackendFactory("cpu");
  if (cpuFactory == null)
    throw new Error("The tfjs cpu backend is not registered; the native backend extends it.");
  for (const config of tf.getKernelsForBackend("cpu")) {
    const native = nativeKernels[config.kernelName];
    const cpu = config.kernelFunc;
    const kernelFunc: tf.KernelFunc =
      native === undefined ? cpu : (args) => native(args as KernelArgs, addon) ?? cpu(args);
    tf.registerKernel({ ...config, backendName: nativeBackendName, kernelFunc });
  }
  if (fused !== undefined) {
    registerFusedKernels(addon, nativeBackendName, fused);
    registerScaleShiftKernels(addon, nativeBackendName, fused);
    registerConvBiasKernel(addon, nativeBackendName, fused.names.conv2dBias);
  }
  const factory = () => {
    const backend = cpuFactory();
    // MathBackendCPU prints "install our node backend" on first use in Node; this backend is the
    // faster path that banner asks for, so it stays quiet.
    (backend as unknown as { firstUse: boolean }).firstUse = false;
    attachPool(backend as tf.MathBackendCPU, new BufferPool(poolIdleBytes));
    return backend;
  };
  // Priority 0, below cpu's 1: tfjs never picks it by itself, only setBackend("native") does.
  tf.registerBackend(nativeBackendName, factory, 0);
}
