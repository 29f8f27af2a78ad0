// @scm/runs: what a training run leaves on disk and how to use it again — checkpoints (one
// checksummed safetensors file), networks rebuilt from them, samples, pictures. Browser-safe; the
// file side is "@scm/runs/node".
export {
  type Checkpoint,
  checkpointFormat,
  decodeCheckpoint,
  encodeCheckpoint,
  type HostTensor,
  tensorGroup,
} from "./checkpoint.js";
export { RunError } from "./errors.js";
export {
  classRows,
  consistencyIntermediateTimes,
  type GenerateOptions,
  generate,
  odeSteps,
  type SamplingMethod,
} from "./generate.js";
export {
  decodeModelFile,
  encodeModelFile,
  type LoadedNetwork,
  modelFileMeta,
  modelMetaKey,
} from "./model-file.js";
export { emaPrefix, hostTensors, modelPrefix, paramsFromHost } from "./params.js";
export {
  type FidRow,
  fidCurvePng,
  fidSeries,
  lossCurvePng,
  lossCurveSvg,
  type MetricsRow,
  sampleGridPng,
  sampleGridPngAsync,
  scatterPng,
  scatterPngAsync,
} from "./pictures.js";
export type { RunDataset, RunMeta } from "./run-meta.js";
