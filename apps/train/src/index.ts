// scm-train as a library: resolve a config from argv, and train.
export { type BuiltRun, buildRun, networkConfigFor } from "./build.js";
export { configFileName, resolveTrainRequest, type TrainRequest } from "./config.js";
export { optionGroups, resumableOptions, type TrainConfig, trainOptions } from "./options.js";
export { type TrainPreset, trainPresets } from "./presets.js";
export { restore, snapshot, type TrainCheckpointMeta } from "./run-checkpoint.js";
export { type TrainIo, type TrainOutcome, train } from "./train.js";
