// A deterministic train / held-out split: a seeded permutation picks the held-out samples, both parts
// keep the original order.
import { Rng } from "@scm/backend";
import { type Dataset, subsetDataset } from "./dataset.js";
import { DataError } from "./errors.js";
import { permutation } from "./permutation.js";

/** Options for `splitDataset`. */
export interface SplitOptions {
  /** Number of held-out samples (an integer ≥ 1), or a fraction in (0, 1). */
  heldOut: number;
  /** Seed of the permutation that picks them (default 0). */
  seed?: number;
}

/** Splits a dataset into `train` and `heldOut` parts, deterministically for a seed; each part keeps the original order. */
export function splitDataset(ds: Dataset, options: SplitOptions): { train: Dataset; heldOut: Dataset } {
  const h = options.heldOut;
  const count = h > 0 && h < 1 ? Math.round(h * ds.n) : h;
  if (!Number.isSafeInteger(count) || count < 1 || count >= ds.n) {
    throw new DataError(
      `heldOut is ${h} for dataset "${ds.name}" of ${ds.n} samples; expected a fraction in (0, 1) or a count in 1..${ds.n - 1}.`,
    );
  }
  const perm = permutation(ds.n, Rng.seeded(options.seed ?? 0));
  const isHeld = new Uint8Array(ds.n);
  for (let i = 0; i < count; i++) isHeld[perm[i] as number] = 1;
  const train: number[] = [];
  const held: number[] = [];
  for (let i = 0; i < ds.n; i++) (isHeld[i] === 1 ? held : train).push(i);
  return { train: subsetDataset(ds, train, ds.name), heldOut: subsetDataset(ds, held, `${ds.name}-heldout`) };
}
