// Looking up and checking a shipped model, and decoding its bytes: shared by the browser's
// fetchModel and Node's loadModel.
import { crc32 } from "@scm/io";
import { decodeModelFile, type LoadedNetwork, RunError } from "@scm/runs";
import { type ModelName, modelNames, type ShippedModel, shippedModels } from "./registry.js";

/** Whether `name` names a shipped model. */
export function isModelName(name: string): name is ModelName {
  return Object.hasOwn(shippedModels, name);
}

/** The shipped model called `name`; an unknown name is a RunError listing the known ones. */
export function shippedModel(name: string): ShippedModel {
  if (!isModelName(name)) {
    throw new RunError(
      `There is no shipped model called "${name}"; the shipped models are ${modelNames.join(", ")}.`,
    );
  }
  return shippedModels[name];
}

/** Where a shipped model's weights file is (bundlers ship it as an asset). */
export function modelUrl(name: string): URL {
  return shippedModel(name).url();
}

/** Decodes the bytes of shipped model `name` after checking they are the shipped file. */
export function modelFromBytes(name: string, bytes: Uint8Array): LoadedNetwork {
  const model = shippedModel(name);
  const crc = crc32(bytes);
  if (bytes.length !== model.bytes || crc !== model.crc32) {
    throw new RunError(
      `The weights of ${name} are not the shipped file (${bytes.length} bytes, CRC-32 ${hex(crc)}; expected ${model.bytes} bytes, CRC-32 ${hex(model.crc32)}): damaged, or a Git LFS pointer?`,
      name,
    );
  }
  return decodeModelFile(bytes, name);
}

function hex(n: number): string {
  return n.toString(16).padStart(8, "0");
}
