// numpy .npz archives: a zip of `<key>.npy` entries (numpy.savez stores, savez_compressed deflates).

import { quote } from "./describe.js";
import type { NdArray } from "./dtype.js";
import { FormatError, LimitError } from "./errors.js";
import type { ReadLimits } from "./limits.js";
import { decodeNpy, encodeNpy } from "./npy.js";
import { readZip, writeZip } from "./zip.js";

/** Encodes named arrays as an .npz archive like `numpy.savez` (stored `<key>.npy` entries). */
export function encodeNpz(record: Record<string, NdArray>): Uint8Array {
  const entries = new Map<string, Uint8Array>();
  for (const [key, a] of Object.entries(record)) entries.set(`${key}.npy`, encodeNpy(a));
  return writeZip(entries);
}

/** Decodes an .npz archive (savez or savez_compressed) into arrays keyed by entry name less `.npy`. */
export function decodeNpz(bytes: Uint8Array, limits: Partial<ReadLimits> = {}): Record<string, NdArray> {
  let entries: Map<string, Uint8Array>;
  try {
    entries = readZip(bytes, limits);
  } catch (e) {
    if (e instanceof LimitError) throw e;
    if (e instanceof FormatError)
      throw new FormatError("npz", `.npz archive is not a readable zip: ${e.message}`, {
        field: e.field ?? "zip",
        cause: e,
      });
    throw e;
  }
  const out: Record<string, NdArray> = {};
  for (const [name, data] of entries) {
    if (!name.endsWith(".npy"))
      throw new FormatError(
        "npz",
        `.npz entry ${quote(name)} is not a .npy file; expected only <key>.npy entries.`,
        { field: name },
      );
    try {
      out[name.slice(0, -4)] = decodeNpy(data, limits);
    } catch (e) {
      if (e instanceof LimitError) throw e;
      if (e instanceof FormatError)
        throw new FormatError("npz", `.npz entry ${quote(name)}: ${e.message}`, { field: name, cause: e });
      throw e;
    }
  }
  return out;
}
