// A trained network back from a run directory (or a checkpoint file): config, weights (EMA or raw)
// and its NetworkFn — for sampling, for sCD's teacher, for initialising from a teacher.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { Params } from "@scm/nets";
import { disposeParams, network } from "@scm/nets";
import { type Checkpoint, tensorGroup } from "../checkpoint.js";
import { RunError } from "../errors.js";
import type { LoadedNetwork } from "../model-file.js";
import { emaPrefix, modelPrefix, paramsFromHost } from "../params.js";
import type { RunMeta } from "../run-meta.js";
import { readCheckpoint } from "./checkpoint-file.js";

/** The checkpoint file inside a run directory. */
export const checkpointFileName = "checkpoint.safetensors";

/** The checkpoint path of a run directory, or the path itself when it is a file. */
export async function checkpointPath(runOrFile: string): Promise<string> {
  let isDir: boolean;
  try {
    isDir = (await stat(runOrFile)).isDirectory();
  } catch {
    throw new RunError(`${runOrFile} is neither a run directory nor a checkpoint file.`, runOrFile);
  }
  return isDir ? join(runOrFile, checkpointFileName) : runOrFile;
}

/** Which weights to load: the sampling EMA (default) or the raw trained ones. */
export type WeightsChoice = "ema" | "raw";

/** The weights group of a checkpoint. */
export function weightsGroup(
  checkpoint: Checkpoint<RunMeta>,
  weights: WeightsChoice,
): Checkpoint<RunMeta>["tensors"] {
  const prefix = weights === "ema" ? emaPrefix(checkpoint.meta.emaName) : modelPrefix;
  return tensorGroup(checkpoint.tensors, prefix);
}

/** Loads a run's network: its checkpoint, verified, and the chosen weights as a NetworkFn. */
export async function loadRunNetwork(
  runOrFile: string,
  weights: WeightsChoice = "ema",
): Promise<LoadedNetwork> {
  const path = await checkpointPath(runOrFile);
  const checkpoint = await readCheckpoint<RunMeta>(path);
  const { meta } = checkpoint;
  if (meta?.network === undefined || meta.dataset === undefined) {
    throw new RunError(
      `${path} does not record its network and dataset; expected a checkpoint of scm-train.`,
      path,
    );
  }
  let params: Params;
  try {
    params = paramsFromHost(weightsGroup(checkpoint, weights), meta.network);
  } catch (err) {
    throw new RunError(`${path}: ${(err as Error).message}`, path);
  }
  return { meta, params, net: network(meta.network, params), dispose: () => disposeParams(params) };
}
