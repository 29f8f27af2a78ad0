// Where the feature networks' weights come from on disk. Nothing is downloaded: a missing Inception
// file is an error that says where to get it and where to put it.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeSafetensors, FormatError, LimitError, type NdArray } from "@scm/io";
import { WeightsError } from "../errors.js";
import { type InceptionWeights, inceptionWeightsFromStateDict } from "../inception-v3.js";
import { type MnistParams, mnistParamsFromHost } from "../mnist-net.js";
import { isZip, readTorchStateDict } from "../torch-checkpoint.js";

/** pytorch-fid's published FID Inception weights (the 2015-12-05 TF graph ported to PyTorch). */
export const INCEPTION_WEIGHTS_URL =
  "https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/pt_inception-2015-12-05-6726825d.pth";

/** The file name of pytorch-fid's weights. */
export const INCEPTION_WEIGHTS_FILE = "pt_inception-2015-12-05-6726825d.pth";

/** The environment variable naming the Inception weights file (`.pth` or `.safetensors`). */
export const INCEPTION_WEIGHTS_ENV = "SCM_FID_WEIGHTS";

/** The shipped MNIST feature network's weights. */
export const MNIST_WEIGHTS_PATH = fileURLToPath(
  new URL("../../weights/mnist-features.safetensors", import.meta.url),
);

/** Where the Inception weights are looked for: `explicit`, else $SCM_FID_WEIGHTS, else ~/.cache/scm-fid/<file>. */
export function inceptionWeightsPath(explicit?: string): string {
  if (explicit !== undefined && explicit !== "") return explicit;
  const env = process.env[INCEPTION_WEIGHTS_ENV];
  if (env !== undefined && env !== "") return env;
  return join(process.env["XDG_CACHE_HOME"] || join(homedir(), ".cache"), "scm-fid", INCEPTION_WEIGHTS_FILE);
}

/** The tensors of a safetensors file; a damaged one is a WeightsError (a LimitError past a read limit) naming `path`. */
function safetensorsStateDict(bytes: Uint8Array, path: string): Map<string, NdArray> {
  try {
    return new Map(Object.entries(decodeSafetensors(bytes).tensors));
  } catch (e) {
    if (e instanceof LimitError)
      throw new LimitError(e.format, e.what, e.requested, e.limit, e.allowed, { source: path, cause: e });
    if (e instanceof FormatError) throw new WeightsError(path, `${path}: ${e.message}`);
    throw e;
  }
}

/** Reads a state_dict from a PyTorch `.pth` (zip or legacy) or a `.safetensors` file with the same names. */
export async function readStateDictFile(path: string): Promise<Map<string, NdArray>> {
  const bytes = new Uint8Array(await readFile(path));
  if (path.endsWith(".safetensors")) return safetensorsStateDict(bytes, path);
  if (isZip(bytes) || bytes[0] === 0x80) return readTorchStateDict(bytes, path);
  // a safetensors file under another name starts with its little-endian header length and "{"
  if (bytes.length > 8 && bytes[8] === 0x7b) return safetensorsStateDict(bytes, path);
  throw new WeightsError(
    path,
    `${path} is neither a PyTorch checkpoint nor safetensors; expected ${INCEPTION_WEIGHTS_FILE}.`,
  );
}

/** Loads the FID Inception weights (see `inceptionWeightsPath`); a missing file says where to get it. */
export async function loadInceptionWeights(explicit?: string): Promise<InceptionWeights> {
  const path = inceptionWeightsPath(explicit);
  if (!existsSync(path)) {
    throw new WeightsError(
      path,
      `The FID Inception weights are not at ${path}; download ${INCEPTION_WEIGHTS_URL} (about 95 MB) and put it there, or point --weights or ${INCEPTION_WEIGHTS_ENV} at the file (.pth or .safetensors).`,
    );
  }
  return inceptionWeightsFromStateDict(await readStateDictFile(path), path);
}

/** Loads the MNIST feature network (default: the weights shipped in this package). */
export async function loadMnistWeights(path = MNIST_WEIGHTS_PATH): Promise<MnistParams> {
  if (!existsSync(path)) {
    throw new WeightsError(
      path,
      `The MNIST feature weights are not at ${path}; rebuild them with \`pnpm --filter @scm/fid train-mnist-features\`.`,
    );
  }
  return mnistParamsFromHost(decodeSafetensors(new Uint8Array(await readFile(path))).tensors, path);
}
