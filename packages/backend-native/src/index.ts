// @scm/backend-native: float32 GEMM, convolution, element-wise and reduction kernels in C over a BLAS,
// for @scm/backend's "native" tfjs backend.
export * from "./kernels.js";
export {
  buildCommand,
  isNativeAddonBuilt,
  loadNativeAddon,
  NativeAddonUnavailableError,
  nativeAddonPath,
} from "./load-addon.js";
