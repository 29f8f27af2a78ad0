// @scm/losses: the training objectives of Lu & Song 2024 (Alg. 1; docs/math.md §2) — TrigFlow
// diffusion, sCT and sCD with every ablation switch of the paper — and a resumable training step.
export {
  type ConsistencyLossOptions,
  consistencyLoss,
  consistencyTangent,
  type DirectionInputs,
  type GuidanceOptions,
  guidedVelocity,
  normalizeTangent,
  type OdeDirection,
  perSampleNorm,
  type RearrangedJvp,
  rearrangedJvp,
  type ScdLossOptions,
  type SctLossOptions,
  scdLoss,
  sctLoss,
  type TangentInputs,
  type TangentNormalization,
  tangentNormalizations,
  tangentWarmup,
} from "./consistency.js";
export { lossByTimeBin, type TimeBin } from "./diagnostics.js";
export { type DiffusionLossOptions, diffusionLoss, meanSquare } from "./diffusion.js";
export { type DiscreteTangentInputs, type DiscreteTime, discreteTangent, previousTime } from "./discrete.js";
export { type EmaConfig, emaBeta, gammaToSigmaRel, sigmaRelToGamma, updateEma } from "./ema.js";
export { LossConfigError, NonFiniteError, TrainerBusyError, TrainerStateError } from "./errors.js";
export { dropLabels, type LabelDropout } from "./label-dropout.js";
export {
  drawNoisyBatch,
  type NoisyBatch,
  type ProposalLike,
  resolveProposal,
  resolveTimes,
  type TimesLike,
} from "./noisy-batch.js";
export {
  AdamFamily,
  type OptimizerConfig,
  type ResolvedOptimizerConfig,
  resolveOptimizer,
} from "./optimizer.js";
export { type LearningRate, learningRateAt } from "./schedule.js";
export {
  createTrainer,
  globalNorm,
  type NonFinitePolicy,
  type StepResult,
  type Trainer,
  type TrainerOptions,
  type TrainerState,
} from "./trainer.js";
export type { Loss, LossBatch, LossContext, ObjectiveOutput, PreparedLoss } from "./types.js";
