// @scm/backend-native: float32 GEMM, convolution, element-wise and reduction kernels in C over a BLAS,
// for @scm/backend's "native" tfjs backend.
export {
  Activation,
  type ActivationCode,
  BinaryOp,
  type BinaryOpCode,
  type NativeAddon,
  type NativeInfo,
  ReduceOp,
  type ReduceOpCode,
  UnaryOp,
  type UnaryOpCode,
} from "./addon.js";
export { type ConvGeometry, packConvGeometry } from "./conv-geometry.js";
export {
  buildCommand,
  isNativeAddonBuilt,
  loadNativeAddon,
  NativeAddonUnavailableError,
  nativeAddonPath,
} from "./load-addon.js";
