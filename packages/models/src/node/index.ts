// @scm/models/node: a model by name, model file, checkpoint or run directory, from disk.
import { readFile, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { decodeSafetensors } from "@scm/io";
import { decodeModelFile, type LoadedNetwork, modelMetaKey, RunError } from "@scm/runs";
import { loadRunNetwork } from "@scm/runs/node";
import { modelNames } from "../registry.js";
import { isModelName, modelFromBytes, modelUrl } from "../shipped.js";

/** Where a shipped model's weights are on disk. */
export function modelPath(name: string): string {
  return fileURLToPath(modelUrl(name));
}

/**
 * Loads a network to sample, distil or start from: a shipped model by name (`mnist-scd`), a model
 * file (a run's `ema.safetensors`), or a run directory or checkpoint of scm-train (its EMA weights,
 * checksum verified). Anything else is a RunError listing the shipped names.
 */
export async function loadModel(nameOrPath: string): Promise<LoadedNetwork> {
  if (isModelName(nameOrPath)) {
    return modelFromBytes(nameOrPath, new Uint8Array(await readFile(modelPath(nameOrPath))));
  }
  const info = await stat(nameOrPath).catch(() => undefined);
  if (info === undefined) {
    throw new RunError(
      `"${nameOrPath}" is neither a shipped model (${modelNames.join(", ")}) nor a model file, checkpoint or run directory.`,
      nameOrPath,
    );
  }
  if (info.isDirectory()) return loadRunNetwork(nameOrPath, "ema");
  const bytes = new Uint8Array(await readFile(nameOrPath));
  // A model file says what it is in its metadata; anything else had better be a checkpoint.
  let isModelFile = false;
  try {
    isModelFile = decodeSafetensors(bytes).metadata[modelMetaKey] !== undefined;
  } catch {
    isModelFile = true; // not safetensors at all: let the model-file decoder say so
  }
  return isModelFile ? decodeModelFile(bytes, nameOrPath) : loadRunNetwork(nameOrPath, "ema");
}

export { createMnistJudge, type MnistJudge, type SampleQuality } from "./judge.js";
