// The CLI's inputs: an image folder, a `.npy` of samples, or a `.npz` (statistics, or one samples array).
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { NdArray } from "@scm/io";
import { encodeNpz } from "@scm/io";
import { readImageFile, readNpyFile, readNpzFile } from "@scm/io/node";
import { FidInputError } from "../errors.js";
import { arrayImageSource, type ImageSource } from "../extract.js";
import type { FeatureStats } from "../feature-stats.js";
import { decodeStatsNpz } from "../stats-file.js";

/** A resolved input: images to run through a network, or precomputed statistics. */
export type Input =
  | { kind: "images"; source: ImageSource }
  | { kind: "stats"; stats: FeatureStats; path: string };

const IMAGE_EXTENSIONS = [".png", ".jpg", ".jpeg"];

/** An `ImageSource` over the PNG/JPEG files of a folder (not recursive, sorted by name, as pytorch-fid). */
export function imageFolderSource(dir: string): ImageSource {
  const files = readdirSync(dir)
    .filter((f) => IMAGE_EXTENSIONS.some((ext) => f.toLowerCase().endsWith(ext)))
    .sort()
    .map((f) => join(dir, f));
  if (files.length === 0) {
    throw new FidInputError(dir, `${dir} has no .png/.jpg/.jpeg files; expected an image folder.`);
  }
  return {
    name: dir,
    count: files.length,
    read: (start, end) =>
      Promise.all(files.slice(start, end).map((f) => readImageFile(f) as Promise<NdArray>)),
  };
}

/** Resolves a path to an input: folder → images, `.npy` → samples, `.npz` → statistics (mu, sigma) or samples. */
export async function resolveInput(path: string): Promise<Input> {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new FidInputError(
      path,
      `${path} does not exist; expected an image folder, a .npy of samples or a .npz of statistics.`,
    );
  }
  if (isDir) return { kind: "images", source: imageFolderSource(path) };
  const lower = path.toLowerCase();
  if (lower.endsWith(".npy"))
    return { kind: "images", source: arrayImageSource(await readNpyFile(path), path) };
  if (lower.endsWith(".npz")) {
    const record = await readNpzFile(path);
    if ("mu" in record && "sigma" in record) {
      // decode through the one checked path (dtype, shapes, finiteness)
      return { kind: "stats", stats: decodeStatsNpz(encodeNpz(record), path), path };
    }
    const arrays = Object.entries(record).filter(([, a]) => a.shape.length === 3 || a.shape.length === 4);
    if (arrays.length === 1)
      return { kind: "images", source: arrayImageSource(arrays[0]![1], `${path}:${arrays[0]![0]}`) };
    throw new FidInputError(
      path,
      `${path} holds [${Object.keys(record).join(", ")}]; expected statistics (mu, sigma) or one array of images.`,
    );
  }
  throw new FidInputError(
    path,
    `${path} is not a folder, .npy or .npz; expected an image folder, a .npy of samples or a .npz of statistics.`,
  );
}
