// A model file from disk (a run's ema.safetensors, or a file of @scm/models).
import { readFile } from "node:fs/promises";
import { RunError } from "../errors.js";
import { decodeModelFile, type LoadedNetwork } from "../model-file.js";

/** Reads and decodes the model file at `path`; a missing or unusable file is a RunError naming it. */
export async function readModelFile(path: string): Promise<LoadedNetwork> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    throw new RunError(`${path} cannot be read as a model file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`, path);
  }
  return decodeModelFile(bytes, path);
}
