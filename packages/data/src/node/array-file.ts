// Low-dimensional data from a file: a .npy array [N, ...] or a numeric CSV (one sample per row).
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { CsvError, decodeNpy, type NdArray, parseCsv } from "@scm/io";
import type { Dataset } from "../dataset.js";
import { DataError } from "../errors.js";
import { datasetFromArray } from "../from-array.js";

/** Options for `loadArrayFile`. */
export interface LoadArrayFileOptions {
  /** The dataset's name (default: the file name without its extension). */
  name?: string;
}

/** Loads a .npy ([N, ...], any numeric dtype) or .csv (numeric, optional header) file as float32 data; bad values name the file and the index or line and column. */
export async function loadArrayFile(path: string, options: LoadArrayFileOptions = {}): Promise<Dataset> {
  const ext = extname(path).toLowerCase();
  if (ext !== ".npy" && ext !== ".csv") {
    throw new DataError(
      `${path} has extension "${ext}"; expected a .npy or .csv file (or a folder of images).`,
      { path },
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new DataError(`Cannot read ${path}: ${(e as Error).message}.`, { path, cause: e });
  }
  let a: NdArray;
  try {
    a = ext === ".npy" ? decodeNpy(bytes) : parseCsv(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (e) {
    if (e instanceof CsvError) {
      throw new DataError(`${path}: ${e.message}`, {
        path,
        line: e.line,
        ...(e.column === undefined ? {} : { column: e.column }),
        cause: e,
      });
    }
    throw new DataError(
      `${path} cannot be decoded as ${ext === ".npy" ? "a .npy array" : "UTF-8 CSV"}: ${(e as Error).message}`,
      {
        path,
        cause: e,
      },
    );
  }
  if (a.shape[0] === 0) {
    throw new DataError(
      `${path} holds no samples; expected at least one ${ext === ".csv" ? "row" : "entry along axis 0"}.`,
      {
        path,
      },
    );
  }
  return datasetFromArray(a, options.name ?? basename(path, extname(path)), path);
}
