// @scm/backend-native/tfjs: the "native" tfjs backend, tfjs's cpu backend with the addon's kernels
// (TensorFlow.js is a peer dependency: the instance @scm/backend imports).
export type { FusedKernelNames, FusedOps } from "./fused-ops.js";
export { nativeBackendName, nativeKernels, poolIdleBytes, registerNativeBackend } from "./register-native.js";
