// Low-dimensional data from an n-d array ([N] or [N, ...]; from .npy or CSV): axis 0 indexes samples.

import { formatShape } from "@scm/errors";
import type { NdArray } from "@scm/io";
import { type Dataset, nonFiniteError } from "./dataset.js";
import { DataError } from "./errors.js";

/** A dataset from an [N, ...] array (an [N] array becomes [N, 1]); values become float32; NaN/Inf is a DataError naming `path` and the index. */
export function datasetFromArray(a: NdArray, name: string, path?: string): Dataset {
  const where = path ?? name;
  const opts = path === undefined ? {} : { path };
  const [n, ...rest] = a.shape;
  if (n === undefined || n < 1) {
    throw new DataError(
      `${where} holds an array of shape ${formatShape(a.shape)}; expected at least one sample along axis 0.`,
      opts,
    );
  }
  const sampleShape = rest.length === 0 ? [1] : rest;
  if (sampleShape.some((d) => d < 1)) {
    throw new DataError(
      `${where} holds an array of shape ${formatShape(a.shape)}; expected no empty axis.`,
      opts,
    );
  }
  const size = sampleShape.reduce((p, d) => p * d, 1);
  const x = new Float32Array(n * size);
  // walk the array in C order through its strides (npy may be a Fortran-order view)
  const idx = new Array<number>(a.shape.length).fill(0);
  for (let i = 0; i < x.length; i++) {
    const raw = a.get(...idx) as number | bigint;
    const v = typeof raw === "bigint" ? Number(raw) : raw;
    if (!Number.isFinite(v)) throw nonFiniteError(v, i, where, sampleShape, path);
    x[i] = v;
    if (!Number.isFinite(x[i] as number)) {
      throw new DataError(
        `${where} has ${v} at index ${i}, which overflows float32; expected |x| < 3.4e38.`,
        {
          ...opts,
          index: i,
        },
      );
    }
    for (let k = a.shape.length - 1; k >= 0; k--) {
      idx[k]!++;
      if (idx[k]! < a.shape[k]!) break;
      idx[k] = 0;
    }
  }
  return { x, sampleShape, n, name };
}
