// @scm/fid: FID and companion metrics in float64, the FID InceptionV3 and an MNIST feature network.
import { sampleWithoutReplacement as sampleFromData } from "@scm/data";

export { type Float64NdArray, type NumericNdArray, toFloat64 } from "./arrays.js";
export { gemmNTAccumulate, symmetrizeFromLower } from "./dense.js";
export { FidInputError, TorchPickleError, WeightsError } from "./errors.js";
export {
  arrayImageSource,
  type ExtractOptions,
  extractFeatures,
  type ImageSource,
  imageToUnitRange,
  tensorImageSource,
} from "./extract.js";
export { type FeatureExtractor, matchChannels } from "./feature-extractor.js";
export { type FeatureStats, FeatureStatsAccumulator, featureStats } from "./feature-stats.js";
export {
  type FrechetDistanceDetails,
  frechetDistance,
  frechetDistanceDetails,
  type GaussianStats,
  traceSqrtProduct,
} from "./frechet-distance.js";
export {
  BN_EPS,
  type ConvSpec,
  convParameterShapes,
  INCEPTION_FEATURES,
  inceptionConvs,
  inceptionParameterShapes,
  MIXED,
  type MixedKind,
  type MixedSpec,
  mixedConvs,
  STEM,
} from "./inception-layout.js";
export {
  basicConv,
  disposeInceptionWeights,
  type FoldedConv,
  foldInceptionConvs,
  INCEPTION_INPUT_SIZE,
  type InceptionOptions,
  type InceptionWeights,
  inceptionExtractor,
  inceptionFeatures,
  inceptionWeightsFromStateDict,
  mixedBlock,
  randomInceptionStateDict,
} from "./inception-v3.js";
export {
  type KidOptions,
  type KidResult,
  kernelInceptionDistance,
  type PolynomialKernel,
  unbiasedMmd2,
} from "./kid.js";
export {
  disposeMnistParams,
  initMnistParams,
  MNIST_FEATURES,
  MNIST_PARAMETER_SHAPES,
  MNIST_SIZE,
  type MnistParams,
  mnistExtractor,
  mnistForward,
  mnistParamsFromHost,
  mnistParamsToHost,
  mnistPredict,
  toMnistInput,
} from "./mnist-net.js";
export {
  isGlobal,
  type PyGlobal,
  type PyObject,
  type Unpickled,
  type UnpicklerHooks,
  unpickle,
} from "./pickle.js";
export {
  kthNeighbourDistances2,
  type PrecisionRecall,
  type PrecisionRecallOptions,
  precisionRecall,
} from "./precision-recall.js";
export { type SlicedWassersteinOptions, slicedWasserstein, wasserstein1dPow } from "./sliced-wasserstein.js";
export { decodeStatsNpz, encodeStatsNpz } from "./stats-file.js";
export { type SymmetricEigen, type SymmetricEigenOptions, symmetricEigen } from "./symmetric-eigen.js";
export { isZip, readTorchStateDict, TORCH_GLOBALS } from "./torch-checkpoint.js";
export { mnistAccuracy, type TrainMnistOptions, trainMnistNet } from "./train-mnist.js";

/** @deprecated Moved to `@scm/data` (the MNIST split shuffles with it too); import it from there. */
export const sampleWithoutReplacement = sampleFromData;
