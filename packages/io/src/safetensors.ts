// safetensors (huggingface/safetensors): u64 LE header length N, N bytes of JSON
// {"__metadata__": {..}, name: {dtype, shape, data_offsets: [begin, end]}} padded with spaces to a
// multiple of 8, then the tensors' little-endian C-order bytes, contiguous, in header order.

import { formatShape } from "@scm/errors";
import { describe, quote } from "./describe.js";
import {
  bytesOf,
  checkShape,
  contiguousData,
  type DType,
  dtypeOfData,
  dtypes,
  type HostData,
  type NdArray,
  sizeOf,
  wrap,
} from "./dtype.js";
import { FormatError, LimitError } from "./errors.js";
import { float32ToBfloat16, float32ToHalf } from "./float16.js";
import { type ReadLimits, readLimits } from "./limits.js";

/** A safetensors dtype name this package reads and writes. */
export type SafetensorsDtype =
  | "BOOL"
  | "U8"
  | "I8"
  | "I16"
  | "U16"
  | "F16"
  | "BF16"
  | "I32"
  | "U32"
  | "F32"
  | "F64"
  | "I64"
  | "U64";

/** Options for `encodeSafetensors`. */
export interface EncodeSafetensorsOptions {
  /** On-disk dtype per tensor: F16/BF16 round float arrays (nearest, ties to even), BOOL stores a Uint8Array of 0/1. */
  dtypes?: Record<string, SafetensorsDtype>;
}

/** What `decodeSafetensors` returns. */
export interface SafetensorsContents {
  /** Tensors in file order; F16/BF16 are widened exactly to Float32Array, BOOL read as Uint8Array. */
  tensors: Record<string, NdArray>;
  /** The `__metadata__` string map ({} when absent). */
  metadata: Record<string, string>;
  /** The on-disk dtype of each tensor, to pass back to `encodeSafetensors` for a bit-exact round trip. */
  dtypes: Record<string, SafetensorsDtype>;
}

const ORDER = Object.keys(dtypes) as DType[]; // ascending alignment, as the reference's Dtype enum
const stToDtype = new Map<string, DType>(ORDER.map((d) => [dtypes[d].st, d]));

/** Compares strings by code point, which is UTF-8 byte order (the reference sorts Rust Strings so). */
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = (x.value.codePointAt(0) as number) - (y.value.codePointAt(0) as number);
    if (d !== 0) return d;
  }
}

/** Encodes tensors as safetensors bytes laid out as the reference writer does (dtype descending, then name). */
export function encodeSafetensors(
  tensors: Record<string, NdArray>,
  metadata?: Record<string, string>,
  options: EncodeSafetensorsOptions = {},
): Uint8Array {
  const items = Object.entries(tensors).map(([name, a]) => {
    if (name === "__metadata__")
      throw new FormatError("safetensors", 'Tensor name "__metadata__" is reserved for the metadata map.', {
        field: name,
      });
    const own = dtypeOfData(a.data, "safetensors");
    const target = options.dtypes?.[name];
    const dtype = target === undefined ? own : stToDtype.get(target);
    if (dtype === undefined)
      throw new FormatError(
        "safetensors",
        `Tensor "${name}" asks for dtype ${target}; expected one of ${[...stToDtype.keys()].join(", ")}.`,
        { field: name },
      );
    const values = contiguousData(a, "safetensors");
    let data: Uint8Array;
    if (dtype === own) data = bytesOf(values);
    else if ((dtype === "float16" || dtype === "bfloat16") && (own === "float32" || own === "float64")) {
      const bits =
        dtype === "float16"
          ? float32ToHalf(values as Float32Array)
          : float32ToBfloat16(values as Float32Array);
      data = bytesOf(bits);
    } else if (dtype === "bool" && own === "uint8") {
      if ((values as Uint8Array).some((v) => v > 1))
        throw new FormatError(
          "safetensors",
          `Tensor "${name}" stored as BOOL holds a value other than 0 or 1.`,
          { field: name },
        );
      data = bytesOf(values);
    } else {
      throw new FormatError(
        "safetensors",
        `Tensor "${name}" is ${own} and cannot be stored as ${target}; F16/BF16 need float data, BOOL needs uint8.`,
        { field: name },
      );
    }
    return { name, dtype, shape: a.shape, data };
  });
  items.sort((l, r) => ORDER.indexOf(r.dtype) - ORDER.indexOf(l.dtype) || compareCodePoints(l.name, r.name));
  const parts: string[] = [];
  // an empty map is left out, so decode → encode reproduces files written without metadata
  if (metadata !== undefined && Object.keys(metadata).length > 0) {
    const sorted: Record<string, string> = {};
    for (const key of Object.keys(metadata).sort(compareCodePoints)) {
      const v = metadata[key];
      if (typeof v !== "string")
        throw new FormatError("safetensors", `Metadata "${key}" is ${typeof v}; expected a string.`, {
          field: key,
        });
      sorted[key] = v;
    }
    parts.push(`"__metadata__":${JSON.stringify(sorted)}`);
  }
  let offset = 0;
  for (const it of items) {
    const end = offset + it.data.length;
    parts.push(
      `${JSON.stringify(it.name)}:{"dtype":"${dtypes[it.dtype].st}","shape":[${it.shape.join(",")}],"data_offsets":[${offset},${end}]}`,
    );
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(",")}}`);
  const n = json.length + ((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + n + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + n);
  let p = 8 + n;
  for (const it of items) {
    out.set(it.data, p);
    p += it.data.length;
  }
  return out;
}

/** Decodes safetensors bytes, validating offsets as the reference reader does; tensors are fresh copies. */
export function decodeSafetensors(bytes: Uint8Array, limits: Partial<ReadLimits> = {}): SafetensorsContents {
  const lim = readLimits(limits);
  if (bytes.length < 8)
    throw new FormatError(
      "safetensors",
      `Input of ${bytes.length} bytes is shorter than the 8-byte safetensors header length.`,
      { field: "header" },
    );
  const n64 = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n64 > BigInt(lim.maxSafetensorsHeaderBytes))
    throw new LimitError(
      "safetensors",
      "Safetensors header length",
      Number(n64),
      "maxSafetensorsHeaderBytes",
      lim.maxSafetensorsHeaderBytes,
      { field: "header" },
    );
  const n = Number(n64);
  if (8 + n > bytes.length)
    throw new FormatError(
      "safetensors",
      `Safetensors header length is ${n} but only ${bytes.length - 8} bytes follow.`,
      { field: "header" },
    );
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new FormatError(
      "safetensors",
      `Safetensors header is not UTF-8 JSON: ${describe(e instanceof Error ? e.message : e, 160)}.`,
      {
        field: "header",
        cause: e,
      },
    );
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) {
    throw new FormatError("safetensors", "Safetensors header is not a JSON object.", { field: "header" });
  }
  const metadata: Record<string, string> = {};
  const infos: { name: string; dtype: DType; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (raw === null || typeof raw !== "object" || Array.isArray(raw))
        throw new FormatError("safetensors", "Safetensors __metadata__ is not an object of strings.", {
          field: name,
        });
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== "string")
          throw new FormatError(
            "safetensors",
            `Safetensors metadata ${quote(k)} is ${describe(v)}; expected a string.`,
            { field: k },
          );
        metadata[k] = v;
      }
      continue;
    }
    const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = typeof info?.dtype === "string" ? stToDtype.get(info.dtype) : undefined;
    if (dtype === undefined)
      throw new FormatError(
        "safetensors",
        `Tensor ${quote(name)} has dtype ${describe(info?.dtype)}; expected one of ${[...stToDtype.keys()].join(", ")}.`,
        { field: name },
      );
    const shape = checkShape(info.shape, "safetensors", `Tensor ${quote(name)} shape`, lim.maxRank);
    const offs = info.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      throw new FormatError(
        "safetensors",
        `Tensor ${quote(name)} data_offsets are ${describe(offs)}; expected [begin, end] byte offsets.`,
        { field: name },
      );
    }
    infos.push({ name, dtype, shape, begin: offs[0], end: offs[1] });
  }
  infos.sort((a, b) => a.begin - b.begin || a.end - b.end);
  const tensors: Record<string, NdArray> = {};
  const stDtypes: Record<string, SafetensorsDtype> = {};
  const dataStart = 8 + n;
  let expected = 0;
  for (const it of infos) {
    if (it.begin !== expected || it.end < it.begin) {
      throw new FormatError(
        "safetensors",
        `Tensor ${quote(it.name)} data_offsets [${it.begin}, ${it.end}] leave a gap or overlap; expected to begin at ${expected}.`,
        { field: it.name },
      );
    }
    const count = sizeOf(it.shape);
    const nbytes = count * dtypes[it.dtype].size;
    if (it.end - it.begin !== nbytes) {
      throw new FormatError(
        "safetensors",
        `Tensor ${quote(it.name)} spans ${it.end - it.begin} bytes; expected ${nbytes} for ${dtypes[it.dtype].st} shape ${formatShape(it.shape)}.`,
        { field: it.name },
      );
    }
    if (dataStart + it.end > bytes.length) {
      throw new FormatError(
        "safetensors",
        `Tensor ${quote(it.name)} ends at byte ${dataStart + it.end}; the input has ${bytes.length}.`,
        { field: it.name },
      );
    }
    expected = it.end;
    const data: HostData = dtypes[it.dtype].read(
      bytes.subarray(dataStart + it.begin, dataStart + it.end),
      count,
    );
    tensors[it.name] = wrap(data, it.shape);
    stDtypes[it.name] = dtypes[it.dtype].st as SafetensorsDtype;
  }
  if (dataStart + expected !== bytes.length) {
    throw new FormatError(
      "safetensors",
      `Safetensors tensors cover ${expected} data bytes but ${bytes.length - dataStart} follow the header; expected them to match.`,
      { field: "data" },
    );
  }
  return { tensors, metadata, dtypes: stDtypes };
}
