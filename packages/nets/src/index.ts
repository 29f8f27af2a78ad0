// @scm/nets: the sCM networks (Lu & Song 2024, §4.1), written once from @scm/jvp ops so each runs as
// a plain tfjs computation, under `jvp`, and under tfjs's gradients.
export { attentionSpec, selfAttention } from "./attention.js";
export { type ConditioningConfig, conditioningDefaults } from "./config.js";
export { convFilterGrad, convFilterGradGemm, convInputGradConv, convPath, convSame, rowsMatMul } from "./conv.js";
export { type DiTConfig, dit, ditSpec, initDiT, positionEmbedding2d, resolveDiTConfig } from "./dit.js";
export {
  type Conditioning,
  condition,
  conditioningSpec,
  positionalEmbedding,
  positionalFrequencies,
  timeFeatures,
} from "./embedding.js";
export { ConfigError, NetworkInputError, WeightsError, type WeightsMismatch } from "./errors.js";
export {
  applyDropout,
  conv,
  type DropoutState,
  downsample,
  dropoutState,
  groupNormAffine,
  groupsFor,
  layerNormAffine,
  linear,
  upsample,
} from "./layers.js";
export { initMlp, type MlpConfig, mlp, mlpSpec, resolveMlpConfig } from "./mlp.js";
export {
  adaptiveGroupNorm,
  adaptiveLayerNorm,
  type Modulation,
  modulate,
  modulationOf,
  modulationSpec,
  pnormEps,
} from "./modulation.js";
export {
  countParams,
  initNetwork,
  type NetworkConfig,
  network,
  paramSpec,
  resolveNetworkConfig,
} from "./network.js";
export { type BuildOptions, checkCall, type NetworkBody, networkFn } from "./network-fn.js";
export {
  checkParams,
  convSpec,
  countSpec,
  disposeParams,
  embeddingSpec,
  initParams,
  type LayerSpecOptions,
  linearSpec,
  normSpec,
  type ParamEntry,
  type ParamInit,
  type ParamSpec,
  type Params,
  param,
  paramMismatches,
} from "./params.js";
export { presets } from "./presets.js";
export { initUNet, resolveUNetConfig, type UNetConfig, unet, unetSpec } from "./unet.js";
export {
  configFromSafetensors,
  type LoadOptions,
  paramsFromSafetensors,
  paramsToSafetensors,
  weightsFormat,
  weightsMetadataKeys,
} from "./weights.js";
