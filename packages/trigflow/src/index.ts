// @scm/trigflow: TrigFlow (Lu & Song 2024, §3 and App. B) — the forward process, the time proposal,
// conversions to EDM and rectified flow, the consistency parameterisation (Eq. 5), and samplers (§4).

export {
  type Converted,
  type NumberOrTensor,
  rfTimeToT,
  sigmaToT,
  tMax,
  tToRfTime,
  tToSigma,
  xRfToXT,
  xSigmaToXT,
  xTToXRf,
  xTToXSigma,
} from "./convert.js";
export { TrigflowRangeError, TrigflowShapeError } from "./errors.js";
export { forwardProcess, velocityTarget } from "./forward.js";
export {
  type ConsistencyTimesOptions,
  checkGrid,
  consistencyTimes,
  type EdmGridOptions,
  edmSigmaGrid,
  edmTimeGrid,
  samplingDefaults,
} from "./grids.js";
export { type NetworkFn, type NetworkOptions, type NetworkOutput, velocityOf } from "./network.js";
export {
  consistencyFunction,
  denoiserFromF,
  type EdmDenoiser,
  fFromEdmDenoiser,
  noiseFromF,
  scoreFromF,
  velocityFromEdmDenoiser,
} from "./parameterization.js";
export {
  lognormalTimes,
  sampleTime,
  type TimeProposal,
  type TimeProposalPreset,
  type TimeSampler,
  timeProposalPresets,
} from "./proposal.js";
export { sampleConsistency } from "./samplers/consistency.js";
export { sampleDdim } from "./samplers/ddim.js";
export { sampleDpm2 } from "./samplers/dpm2.js";
export { sampleHeun } from "./samplers/heun.js";
export { type NoiseKey, sampleNoise } from "./samplers/noise.js";
export { type SamplerName, samplers } from "./samplers/table.js";
export type { SampleResult, Sampler, SamplerOptions, StepInfo, VelocityFn } from "./samplers/types.js";
export { broadcastTime, type TimeLike, timeColumn } from "./time.js";
