// @scm/data: datasets on the host (toy 2-D sets, MNIST's builder, arrays, image resizing), a seeded
// resumable batch sampler and data statistics; browser-safe. File loading lives in "@scm/data/node".
export {
  checkFinite,
  type Dataset,
  nonFiniteError,
  sampleSize,
  subsetDataset,
  validateDataset,
} from "./dataset.js";
export { DataError } from "./errors.js";
export { datasetFromArray } from "./from-array.js";
export { mnistFromDigits, mnistSize } from "./mnist.js";
export { mnistFidSplit } from "./mnist-split.js";
export { permutation, sampleWithoutReplacement } from "./permutation.js";
export { pixelsToUnit, toChannels, toUint8Image, unitToPixels } from "./pixels.js";
export { centerCrop, fitImage, type ResizeMethod, resizeImage } from "./resize.js";
export {
  type Batch,
  BatchSampler,
  type BatchSamplerOptions,
  type SamplerState,
  type TensorBatch,
} from "./sampler.js";
export { type SplitOptions, splitDataset } from "./split.js";
export { type DataStats, datasetStats } from "./stats.js";
export { isToyName, type ToyName, toyDataset, toyNames, toySigmaData } from "./toy.js";
