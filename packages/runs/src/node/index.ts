// @scm/runs/node: run files on disk.
export { readCheckpoint, writeCheckpoint } from "./checkpoint-file.js";
export {
  checkpointFileName,
  checkpointPath,
  loadRunNetwork,
  type WeightsChoice,
  weightsGroup,
} from "./load-run.js";
export type { LoadedNetwork } from "../model-file.js";
export { readModelFile } from "./model-file.js";
export { appendMetrics, readMetrics, truncateMetrics } from "./metrics-log.js";
