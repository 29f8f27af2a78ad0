// The in-memory dataset every loader returns: samples flattened into one float32 array, C order.
import { formatShape } from "@scm/errors";
import { DataError } from "./errors.js";

/** A dataset on the host: `n` samples of `sampleShape` (NHWC for images) flattened into `x`. */
export interface Dataset {
  /** All samples in C order, float32 [n, ...sampleShape]. */
  x: Float32Array;
  /** The shape of one sample: [H, W, C] for images, [D] for low-dimensional data. */
  sampleShape: number[];
  /** Number of samples. */
  n: number;
  /** Class labels in 0..numClasses-1, one per sample, when the data has classes. */
  labels?: Int32Array;
  /** Number of classes, when the data has labels. */
  numClasses?: number;
  /** Class names by label (folder names for image folders, digits for MNIST). */
  classNames?: string[];
  /** A short name for logs and run configs ("mnist", "checkerboard", a file name). */
  name: string;
}

/** Number of elements in one sample of the shape. */
export function sampleSize(sampleShape: readonly number[]): number {
  let s = 1;
  for (const d of sampleShape) s *= d;
  return s;
}

/** The DataError for a NaN or ±Inf value `v` at flat index `i` of `what` (with sample and element when the sample shape is known). */
export function nonFiniteError(
  v: number,
  i: number,
  what: string,
  sampleShape?: readonly number[],
  path?: string,
): DataError {
  const size = sampleShape === undefined ? 0 : sampleSize(sampleShape);
  const where = size > 0 ? ` (sample ${Math.floor(i / size)}, element ${i % size})` : "";
  return new DataError(`${what} has ${v} at index ${i}${where}; expected finite numbers only.`, {
    ...(path === undefined ? {} : { path }),
    index: i,
  });
}

/** Throws a DataError naming the first NaN or ±Inf value of `values` (flat index, and sample and element when `sampleShape` is given). */
export function checkFinite(
  values: ArrayLike<number>,
  what: string,
  sampleShape?: readonly number[],
  path?: string,
): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) throw nonFiniteError(v, i, what, sampleShape, path);
  }
}

/** Checks a dataset is consistent (x length, label range, finite values) and returns it; errors name `name`. */
export function validateDataset(ds: Dataset, path?: string): Dataset {
  const opts = path === undefined ? {} : { path };
  const size = sampleSize(ds.sampleShape);
  if (!ds.sampleShape.every((d) => Number.isSafeInteger(d) && d > 0)) {
    throw new DataError(
      `Dataset "${ds.name}" has sample shape ${formatShape(ds.sampleShape)}; expected positive integers.`,
      opts,
    );
  }
  if (!Number.isSafeInteger(ds.n) || ds.n < 1) {
    throw new DataError(`Dataset "${ds.name}" has ${ds.n} samples; expected at least one.`, opts);
  }
  if (ds.x.length !== ds.n * size) {
    throw new DataError(
      `Dataset "${ds.name}" holds ${ds.x.length} values; expected n · prod(sampleShape) = ${ds.n} · ${size} = ${ds.n * size}.`,
      opts,
    );
  }
  if (ds.labels !== undefined) {
    const k = ds.numClasses;
    if (k === undefined || !Number.isSafeInteger(k) || k < 1) {
      throw new DataError(
        `Dataset "${ds.name}" has labels but numClasses is ${k}; expected a positive integer.`,
        opts,
      );
    }
    if (ds.labels.length !== ds.n) {
      throw new DataError(
        `Dataset "${ds.name}" has ${ds.labels.length} labels; expected one per sample (${ds.n}).`,
        opts,
      );
    }
    for (let i = 0; i < ds.n; i++) {
      const l = ds.labels[i] as number;
      if (l < 0 || l >= k) {
        throw new DataError(
          `Dataset "${ds.name}" has label ${l} at sample ${i}; expected a value in 0..${k - 1}.`,
          {
            ...opts,
            index: i,
          },
        );
      }
    }
    if (ds.classNames !== undefined && ds.classNames.length !== k) {
      throw new DataError(
        `Dataset "${ds.name}" has ${ds.classNames.length} class names; expected numClasses = ${k}.`,
        opts,
      );
    }
  }
  checkFinite(ds.x, `Dataset "${ds.name}"`, ds.sampleShape, path);
  return ds;
}

/** The samples at `indices` as a new dataset (labels and class names carried along). */
export function subsetDataset(ds: Dataset, indices: ArrayLike<number>, name = ds.name): Dataset {
  const size = sampleSize(ds.sampleShape);
  const x = new Float32Array(indices.length * size);
  const labels = ds.labels === undefined ? undefined : new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i] as number;
    if (!Number.isSafeInteger(j) || j < 0 || j >= ds.n) {
      throw new DataError(`Index ${j} at position ${i} is outside dataset "${ds.name}" of ${ds.n} samples.`);
    }
    x.set(ds.x.subarray(j * size, (j + 1) * size), i * size);
    if (labels !== undefined) labels[i] = ds.labels?.[j] as number;
  }
  return {
    ...ds,
    x,
    n: indices.length,
    name,
    ...(labels === undefined ? {} : { labels }),
  };
}
