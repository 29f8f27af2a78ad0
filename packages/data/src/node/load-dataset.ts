// One resolver for a `--data` setting: "mnist", a toy set's name, a folder of images, or a .npy/.csv file.
import { stat } from "node:fs/promises";
import type { Dataset } from "../dataset.js";
import { DataError } from "../errors.js";
import { isToyName, toyDataset, toyNames } from "../toy.js";
import { loadArrayFile } from "./array-file.js";
import { type LoadImageFolderOptions, loadImageFolder } from "./image-folder.js";
import { type LoadMnistOptions, loadMnist } from "./mnist.js";

/** Options for `loadDataset`, passed on to the loader the source picks. */
export interface LoadDatasetOptions extends LoadImageFolderOptions, LoadMnistOptions {
  /** Points drawn for a toy set (default 10,000). */
  toySize?: number;
  /** Seed of a toy set's points (default 0). */
  toySeed?: number;
}

/** Loads "mnist", a toy set (checkerboard, 8gaussians, moons, spiral), an image folder, or a .npy/.csv file. */
export async function loadDataset(source: string, options: LoadDatasetOptions = {}): Promise<Dataset> {
  if (source === "mnist") return loadMnist(options);
  if (isToyName(source)) return toyDataset(source, options.toySize ?? 10_000, options.toySeed ?? 0);
  let isDir: boolean;
  try {
    isDir = (await stat(source)).isDirectory();
  } catch (e) {
    throw new DataError(
      `Data source "${source}" is neither a built-in set (mnist, ${toyNames.join(", ")}) nor a readable file or folder: ${(e as Error).message}.`,
      { path: source, cause: e },
    );
  }
  return isDir ? loadImageFolder(source, options) : loadArrayFile(source, options);
}
