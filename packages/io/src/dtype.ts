// Host dtypes: one table maps typed arrays to numpy descriptors and safetensors dtypes.

import { formatShape } from "@scm/errors";
import ndarray from "ndarray";
import { describe } from "./describe.js";
import { FormatError, type FormatName, LimitError } from "./errors.js";
import { bfloat16ToFloat32, halfToFloat32 } from "./float16.js";

/** Typed arrays an `NdArray` may hold. */
export type HostData =
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array
  | Uint8ClampedArray
  | BigInt64Array<ArrayBuffer>
  | BigUint64Array<ArrayBuffer>;

/** A host-side n-d array (npm `ndarray`) over a typed array. */
export type NdArray<D extends HostData = HostData> = ndarray.NdArray<D>;

/** Element types the codecs read and write. */
export type DType =
  | "float64"
  | "float32"
  | "float16"
  | "bfloat16"
  | "int64"
  | "int32"
  | "int16"
  | "int8"
  | "uint64"
  | "uint32"
  | "uint16"
  | "uint8"
  | "bool";

interface DTypeInfo {
  /** Bytes per element on disk. */
  size: number;
  /** numpy descriptor without the byte-order character, or undefined when numpy has none. */
  npy: string | undefined;
  /** safetensors dtype name. */
  st: string;
  /** Reads `count` little-endian elements from a fresh, aligned copy of the bytes. */
  read: (bytes: Uint8Array, count: number) => HostData;
}

// Every typed array is read from a copy, so results never alias the input and are always aligned.
// `new Uint8Array(bytes)` copies for any Uint8Array; Node's Buffer#slice would return a view instead.
const view =
  <T>(Ctor: new (b: ArrayBuffer, o: number, n: number) => T) =>
  (bytes: Uint8Array, count: number): T =>
    new Ctor(new Uint8Array(bytes).buffer, 0, count);

/** The dtype table; order is the safetensors writer's alignment order (ascending). */
export const dtypes: Readonly<Record<DType, DTypeInfo>> = {
  bool: { size: 1, npy: "b1", st: "BOOL", read: view(Uint8Array) },
  uint8: { size: 1, npy: "u1", st: "U8", read: view(Uint8Array) },
  int8: { size: 1, npy: "i1", st: "I8", read: view(Int8Array) },
  int16: { size: 2, npy: "i2", st: "I16", read: view(Int16Array) },
  uint16: { size: 2, npy: "u2", st: "U16", read: view(Uint16Array) },
  float16: { size: 2, npy: "f2", st: "F16", read: (b, n) => halfToFloat32(view(Uint16Array)(b, n)) },
  bfloat16: {
    size: 2,
    npy: undefined,
    st: "BF16",
    read: (b, n) => bfloat16ToFloat32(view(Uint16Array)(b, n)),
  },
  int32: { size: 4, npy: "i4", st: "I32", read: view(Int32Array) },
  uint32: { size: 4, npy: "u4", st: "U32", read: view(Uint32Array) },
  float32: { size: 4, npy: "f4", st: "F32", read: view(Float32Array) },
  float64: { size: 8, npy: "f8", st: "F64", read: view(Float64Array) },
  int64: { size: 8, npy: "i8", st: "I64", read: view(BigInt64Array) },
  uint64: { size: 8, npy: "u8", st: "U64", read: view(BigUint64Array) },
};

/** The dtype of a typed array (Uint8ClampedArray counts as uint8). */
export function dtypeOfData(data: unknown, format: FormatName): DType {
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Int16Array) return "int16";
  if (data instanceof Int8Array) return "int8";
  if (data instanceof Uint32Array) return "uint32";
  if (data instanceof Uint16Array) return "uint16";
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return "uint8";
  if (data instanceof BigInt64Array) return "int64";
  if (data instanceof BigUint64Array) return "uint64";
  const kind = Array.isArray(data) ? "a plain Array" : Object.prototype.toString.call(data);
  throw new FormatError(
    format,
    `Array data is ${kind}; expected a typed array (Float64Array, Float32Array, Int32Array, Uint8Array, ...).`,
  );
}

// Typed arrays are host-endian; every supported host is little-endian, which the formats require.
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error("@scm/io needs a little-endian host; this one is big-endian.");
}

/** Product of a shape (1 for a 0-d array). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The array's elements in C (row-major) order, without copying when it is already contiguous. */
export function contiguousData<D extends HostData>(a: NdArray<D>, format: FormatName): D {
  const { shape, stride, offset, data } = a;
  const n = sizeOf(shape);
  const Ctor = data.constructor as new (n: number) => D;
  if (n === 0) return new Ctor(0);
  let expected = 1;
  let contiguous = true;
  for (let k = shape.length - 1; k >= 0; k--) {
    const d = shape[k] as number;
    if (d !== 1 && stride[k] !== expected) contiguous = false;
    expected *= d;
  }
  if (contiguous) {
    if (offset < 0 || offset + n > data.length) {
      throw new FormatError(
        format,
        `Array data holds ${data.length} elements; expected at least ${offset + n} for shape ${formatShape(shape)} at offset ${offset}.`,
      );
    }
    return (offset === 0 && data.length === n ? data : data.subarray(offset, offset + n)) as D;
  }
  const out = new Ctor(n);
  const idx = new Array<number>(shape.length).fill(0);
  let p = offset;
  for (let i = 0; i < n; i++) {
    out[i] = data[p] as never;
    for (let k = shape.length - 1; k >= 0; k--) {
      const s = stride[k] as number;
      idx[k] = (idx[k] as number) + 1;
      p += s;
      if ((idx[k] as number) < (shape[k] as number)) break;
      p -= s * (shape[k] as number);
      idx[k] = 0;
    }
  }
  return out;
}

/** The bytes behind a typed array (a view, not a copy). */
export function bytesOf(data: HostData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Checks a shape is a list of at most `maxRank` non-negative safe integers. */
export function checkShape(shape: unknown, format: FormatName, field: string, maxRank: number): number[] {
  if (Array.isArray(shape) && shape.length > maxRank)
    throw new LimitError(format, `${field} rank`, shape.length, "maxRank", maxRank, { field });
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new FormatError(
      format,
      `${field} is ${describe(shape)}; expected a list of non-negative integers.`,
      { field },
    );
  }
  return shape as number[];
}

/** Wraps typed data in an ndarray of the given shape (0-d when the shape is empty). */
export function wrap<D extends HostData>(data: D, shape: number[]): NdArray<D> {
  return ndarray(data, shape);
}
