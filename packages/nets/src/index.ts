// @scm/nets: the sCM networks (Lu & Song 2024, §4.1), written once from @scm/jvp ops so each runs as
// a plain tfjs computation, under `jvp`, and under tfjs's gradients.

export { type Architecture, type ArchitectureDefinition, architecture } from "./architecture.js";
export { selfAttention } from "./attention.js";
export { type ConditioningConfig, conditioningDefaults } from "./config.js";
export {
  type DiTConfig,
  dit,
  ditArchitecture,
  initDiT,
  positionEmbedding2d,
  resolveDiTConfig,
} from "./dit.js";
export {
  type Conditioning,
  type ConditioningLayer,
  conditioning,
  positionalEmbedding,
  positionalFrequencies,
  type TimeFeatures,
  timeFeatures,
} from "./embedding.js";
export { ConfigError, NetworkInputError, WeightsError, type WeightsMismatch } from "./errors.js";
export {
  fanIn,
  type Layer,
  ones,
  type ParamRef,
  ParamScope,
  trainable,
  zeros,
} from "./layer.js";
export {
  applyDropout,
  conv,
  convParams,
  type DropoutState,
  downsample,
  dropoutState,
  groupNormAffine,
  groupsFor,
  type LayerOptions,
  layerNormAffine,
  linear,
  linearParams,
  upsample,
  type WeightAndBias,
} from "./layers.js";
export { initMlp, type MlpConfig, mlp, mlpArchitecture, resolveMlpConfig } from "./mlp.js";
export {
  adaptiveGroupNorm,
  adaptiveLayerNorm,
  type Modulation,
  type ModulationLayer,
  modulate,
  modulation,
  pnormEps,
} from "./modulation.js";
export {
  architectures,
  countParams,
  initNetwork,
  type NetworkConfig,
  network,
  paramSpec,
  resolveNetworkConfig,
} from "./network.js";
export {
  type BuildOptions,
  checkCall,
  type NetworkBody,
  type NetworkDefinition,
  networkFn,
} from "./network-fn.js";
export {
  checkParams,
  countSpec,
  disposeParams,
  initParams,
  type ParamEntry,
  type ParamInit,
  type ParamSpec,
  type Params,
  param,
  paramMismatches,
} from "./params.js";
export { presets } from "./presets.js";
export { initUNet, resolveUNetConfig, type UNetConfig, unet, unetArchitecture } from "./unet.js";
export {
  configFromSafetensors,
  type LoadOptions,
  paramsFromSafetensors,
  paramsToSafetensors,
  weightsFormat,
  weightsMetadataKeys,
} from "./weights.js";
