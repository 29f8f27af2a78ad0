// @scm/runs/node: run files on disk.
export { readCheckpoint, writeCheckpoint } from "./checkpoint-file.js";
export {
  checkpointFileName,
  checkpointPath,
  type LoadedNetwork,
  loadRunNetwork,
  type WeightsChoice,
  weightsGroup,
} from "./load-run.js";
export { appendMetrics, readMetrics, truncateMetrics } from "./metrics-log.js";
