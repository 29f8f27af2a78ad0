// Conversions between `ndarray` views and contiguous row-major Float64Arrays, with shape checks that
// name the input. The metrics compute on contiguous float64; callers may pass any dtype and stride.

import { formatShape } from "@scm/errors";
import ndarray, { type NdArray } from "ndarray";
import { FidInputError } from "./errors.js";

/** A float64 ndarray (the dtype of every statistic this package returns). */
export type Float64NdArray = NdArray<Float64Array>;

/** Anything the metrics accept as a numeric array: an ndarray of a numeric typed array or a plain array. */
export type NumericNdArray = NdArray<ArrayLike<number> & ndarray.Data<number>>;

/** Checks that `x` is an ndarray of rank `rank` and returns its shape. */
export function checkRank(x: NumericNdArray, rank: number, input: string, what: string): number[] {
  if (x === null || typeof x !== "object" || !Array.isArray(x.shape)) {
    throw new FidInputError(input, `${input} is not an ndarray; expected ${what}.`);
  }
  if (x.shape.length !== rank) {
    throw new FidInputError(input, `${input} has shape ${formatShape(x.shape)}; expected ${what}.`);
  }
  return x.shape;
}

/** The entries of `x` in row-major order as a fresh Float64Array (any dtype, stride or offset). */
export function toFloat64(x: NumericNdArray): Float64Array {
  const shape = x.shape;
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(size);
  const data = x.data as ArrayLike<number>;
  const contiguous = isRowMajorContiguous(x);
  if (contiguous && typeof (data as { subarray?: unknown }).subarray === "function") {
    const src = data as unknown as Float64Array;
    out.set(src.subarray(x.offset, x.offset + size));
    return out;
  }
  if (contiguous) {
    for (let i = 0; i < size; i++) out[i] = data[x.offset + i]!;
    return out;
  }
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  for (let i = 0; i < size; i++) {
    let at = x.offset;
    for (let r = 0; r < rank; r++) at += index[r]! * x.stride[r]!;
    out[i] = data[at]!;
    for (let r = rank - 1; r >= 0; r--) {
      if (++index[r]! < shape[r]!) break;
      index[r] = 0;
    }
  }
  return out;
}

/** Whether `x` is laid out row-major and contiguously from its offset. */
export function isRowMajorContiguous(x: { shape: number[]; stride: number[] }): boolean {
  let expected = 1;
  for (let r = x.shape.length - 1; r >= 0; r--) {
    if (x.shape[r]! > 1 && x.stride[r] !== expected) return false;
    expected *= x.shape[r]!;
  }
  return true;
}

/** Wraps a row-major Float64Array as an ndarray of the given shape (no copy). */
export function float64NdArray(data: Float64Array, shape: number[]): Float64NdArray {
  return ndarray(data, shape);
}

/** Throws unless every entry is finite, naming the input and the first bad index. */
export function checkFinite(values: Float64Array, input: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new FidInputError(
        input,
        `${input} has a non-finite value (${values[i]}) at flat index ${i}; expected finite numbers.`,
      );
    }
  }
}
