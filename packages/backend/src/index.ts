// @scm/backend: the single TensorFlow.js instance of sCM-TS, backend selection and seeded randomness.
export { type BackendCandidate, type BackendName, backendCandidates, backendNames } from "./backends.js";
export { BackendUnavailableError } from "./errors.js";
export {
  FusedKernel,
  type FusedKernelName,
  fusedDropoutMask,
  fusedKernelAvailable,
  fusedSilu,
  fusedStandardize,
  standardizeView,
} from "./fused.js";
export { type AdamCoefficients, fusedAdamStep } from "./fused-adam.js";
export { type ConvBiasAttrs, fusedConv2dBias } from "./fused-conv-bias.js";
export { fusedScaleShift, scaleShiftFits, scaleShiftView } from "./fused-scale-shift.js";
export { gemmFlops, gemmKernelNames, type ProfiledKernel } from "./gemm-flops.js";
export {
  type BackendInfo,
  type InitBackendOptions,
  initBackend,
  missingKernels,
  trainingKernels,
} from "./init-backend.js";
export { randomNormal, randomNormalPerSample, randomUniform } from "./random.js";
export { Rng, type RngState } from "./rng.js";
export { sameShape } from "./shape.js";
export { type Shape, type Tensor, tf } from "./tf.js";
