// The addon's typed surface and op codes without the loader: no Node imports, so code that only
// drives an addon it was handed (@scm/backend's kernels) stays bundleable for the browser.
export {
  Activation,
  type ActivationCode,
  BinaryOp,
  type BinaryOpCode,
  type NativeAddon,
  type NativeInfo,
  nativeAddonFunctions,
  ReduceOp,
  type ReduceOpCode,
  UnaryOp,
  type UnaryOpCode,
} from "./addon.js";
export { type ConvGeometry, packConvGeometry } from "./conv-geometry.js";
