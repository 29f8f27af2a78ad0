// @scm/runs/node: run files on disk.

export type { LoadedNetwork } from "../model-file.js";
export { readCheckpoint, writeCheckpoint } from "./checkpoint-file.js";
export {
  checkpointFileName,
  checkpointPath,
  loadRunNetwork,
  type WeightsChoice,
  weightsGroup,
} from "./load-run.js";
export { appendMetrics, readMetrics, truncateMetrics } from "./metrics-log.js";
