// numpy .npy format, versions 1.0 / 2.0 / 3.0 (numpy/lib/format.py, NEP 1): magic, header length, a
// Python dict literal {'descr', 'fortran_order', 'shape'} padded to 64 bytes, then the raw data.

import { describe, quote } from "./describe.js";
import {
  bytesOf,
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
import { type ReadLimits, readLimits } from "./limits.js";
import { PyLiteralDepthError, parsePyLiteral } from "./py-literal.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const ARRAY_ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21; // numpy pads the header so shape[0] can grow in place

const descrToDtype = new Map<string, DType>();
for (const [name, info] of Object.entries(dtypes)) {
  if (info.npy === undefined) continue;
  const order = info.size === 1 ? "|" : "<";
  descrToDtype.set(order + info.npy, name as DType);
  if (info.size === 1) descrToDtype.set(`<${info.npy}`, name as DType); // accepted, never written
}

/** Encodes an array as .npy bytes, byte-identical to `numpy.save` (C order, little-endian). */
export function encodeNpy(a: NdArray): Uint8Array {
  const dtype = dtypeOfData(a.data, "npy");
  const info = dtypes[dtype];
  const descr = (info.size === 1 ? "|" : "<") + info.npy;
  const shape = a.shape;
  const shapeRepr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeRepr}, }`;
  if (shape.length > 0) header += " ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  // version 1.0 has a 2-byte header length; 2.0 a 4-byte one
  let lengthBytes = 2;
  let padLen = ARRAY_ALIGN - ((MAGIC.length + 2 + lengthBytes + header.length + 1) % ARRAY_ALIGN);
  if (header.length + 1 + padLen > 0xffff) {
    lengthBytes = 4;
    padLen = ARRAY_ALIGN - ((MAGIC.length + 2 + lengthBytes + header.length + 1) % ARRAY_ALIGN);
  }
  const headerText = `${header}${" ".repeat(padLen)}\n`;
  const data = bytesOf(contiguousData(a, "npy"));
  const prefix = MAGIC.length + 2 + lengthBytes;
  const out = new Uint8Array(prefix + headerText.length + data.length);
  out.set(MAGIC, 0);
  out[6] = lengthBytes === 2 ? 1 : 2;
  out[7] = 0;
  const dv = new DataView(out.buffer);
  if (lengthBytes === 2) dv.setUint16(8, headerText.length, true);
  else dv.setUint32(8, headerText.length, true);
  for (let i = 0; i < headerText.length; i++) out[prefix + i] = headerText.charCodeAt(i);
  out.set(data, prefix + headerText.length);
  return out;
}

/** Decodes .npy bytes (v1.0/2.0/3.0, little-endian); fortran_order arrays come back as transposed views. */
export function decodeNpy(bytes: Uint8Array, limits: Partial<ReadLimits> = {}): NdArray {
  const lim = readLimits(limits);
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) {
    throw new FormatError(
      "npy",
      `Input of ${bytes.length} bytes does not start with the .npy magic "\\x93NUMPY".`,
      { field: "magic" },
    );
  }
  const major = bytes[6] as number;
  const minor = bytes[7] as number;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let start: number;
  let headerLen: number;
  if (major === 1) {
    headerLen = dv.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12)
      throw new FormatError(
        "npy",
        `Input of ${bytes.length} bytes ends inside the .npy v${major} header length.`,
        { field: "header" },
      );
    headerLen = dv.getUint32(8, true);
    start = 12;
  } else {
    throw new FormatError("npy", `.npy format version is ${major}.${minor}; expected 1.0, 2.0 or 3.0.`, {
      field: "version",
    });
  }
  if (headerLen > lim.maxNpyHeaderBytes)
    throw new LimitError("npy", ".npy header length", headerLen, "maxNpyHeaderBytes", lim.maxNpyHeaderBytes, {
      field: "header",
    });
  if (start + headerLen > bytes.length) {
    throw new FormatError(
      "npy",
      `.npy header claims ${headerLen} bytes but only ${bytes.length - start} follow.`,
      { field: "header" },
    );
  }
  const headerBytes = bytes.subarray(start, start + headerLen);
  let text: string;
  if (major === 3) {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(headerBytes);
    } catch (e) {
      throw new FormatError(
        "npy",
        ".npy v3 header is not valid UTF-8; expected a UTF-8 Python dict literal.",
        {
          field: "header",
          cause: e,
        },
      );
    }
  } else text = latin1(headerBytes);
  const header = parseHeader(text, lim);
  const { dtype, shape, fortranOrder } = header;
  const count = sizeOf(shape);
  const nbytes = count * dtypes[dtype].size;
  const dataStart = start + headerLen;
  if (bytes.length - dataStart < nbytes) {
    throw new FormatError(
      "npy",
      `.npy data holds ${bytes.length - dataStart} bytes; expected ${nbytes} for ${header.descr} shape (${shape.join(", ")}).`,
      { field: "data" },
    );
  }
  const data: HostData = dtypes[dtype].read(bytes.subarray(dataStart, dataStart + nbytes), count);
  if (!fortranOrder || shape.length < 2) return wrap(data, [...shape]);
  // Fortran order is C order of the reversed shape; transposing back gives the logical array.
  const reversed = [...shape].reverse();
  return wrap(data, reversed).transpose(...reversed.map((_, i) => reversed.length - 1 - i));
}

/** A Python-style quoted string, cut to 40 characters. */
function pyQuote(s: string): string {
  return s.length <= 40 ? `'${s}'` : `'${s.slice(0, 40)}…' (${s.length} characters)`;
}

function latin1(b: Uint8Array): string {
  let s = "";
  for (const c of b) s += String.fromCharCode(c);
  return s;
}

interface NpyHeader {
  descr: string;
  dtype: DType;
  shape: number[];
  fortranOrder: boolean;
}

function parseHeader(text: string, lim: ReadLimits): NpyHeader {
  let value: unknown;
  try {
    value = parsePyLiteral(text.trim(), lim.maxDepth);
  } catch (e) {
    if (e instanceof PyLiteralDepthError)
      throw new LimitError("npy", ".npy header nesting depth", lim.maxDepth + 1, "maxDepth", lim.maxDepth, {
        field: "header",
      });
    throw new FormatError(
      "npy",
      `.npy header ${quote(text.trim())} is not a Python dict literal: ${(e as Error).message}.`,
      { field: "header", cause: e },
    );
  }
  if (!(value instanceof Map))
    throw new FormatError("npy", `.npy header ${quote(text.trim())} is not a dict.`, {
      field: "header",
    });
  const descr = value.get("descr");
  const fortran = value.get("fortran_order");
  const shape = value.get("shape");
  if (typeof descr !== "string") {
    const what = Array.isArray(descr) ? "a structured dtype" : describe(descr);
    throw new FormatError(
      "npy",
      `.npy descr is ${what}; expected a simple little-endian dtype such as '<f4'.`,
      { field: "descr" },
    );
  }
  if (descr.startsWith(">")) {
    throw new FormatError(
      "npy",
      `.npy descr ${pyQuote(descr)} is big-endian; expected little-endian ('<') data.`,
      {
        field: "descr",
      },
    );
  }
  const dtype = descrToDtype.get(descr);
  if (dtype === undefined) {
    const known = [...descrToDtype.keys()].filter((d) => !d.startsWith("<") || d.length > 2).join(", ");
    throw new FormatError("npy", `.npy descr ${pyQuote(descr)} is not supported; expected one of ${known}.`, {
      field: "descr",
    });
  }
  if (typeof fortran !== "boolean")
    throw new FormatError("npy", `.npy fortran_order is ${describe(fortran)}; expected True or False.`, {
      field: "fortran_order",
    });
  if (Array.isArray(shape) && shape.length > lim.maxRank)
    throw new LimitError("npy", ".npy shape rank", shape.length, "maxRank", lim.maxRank, { field: "shape" });
  if (
    !Array.isArray(shape) ||
    !shape.every((d) => typeof d === "number" && Number.isSafeInteger(d) && d >= 0)
  ) {
    throw new FormatError(
      "npy",
      `.npy shape is ${describe(shape)}; expected a tuple of non-negative integers.`,
      { field: "shape" },
    );
  }
  return { descr, dtype, shape: shape as number[], fortranOrder: fortran };
}
