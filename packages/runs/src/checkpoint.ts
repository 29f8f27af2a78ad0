// A checkpoint is ONE safetensors file: every tensor of a run (the network, the trainer's optimizer
// moments and EMAs) plus its JSON state in the metadata, and a CRC-32 over all of it: the format tag,
// the JSON state (step, learning rate, seed, RNG and Adam state), every tensor's name, shape and
// bytes. One file is written atomically (temp + rename), so a run is always either at its last
// checkpoint or the one before — never between — and a truncated or altered file, its state included,
// is refused instead of resumed. Files of format 1 (whose CRC covered the tensor bytes only) still read.
import { crc32, decodeSafetensors, describe, encodeSafetensors, type NdArray } from "@scm/io";
import ndarray from "ndarray";
import { RunError } from "./errors.js";

/** The format tag in every checkpoint's metadata; bump on incompatible changes. */
export const checkpointFormat = "scm-checkpoint/2";

/** The earlier format, read for compatibility: its CRC covers the tensor bytes only. */
const tensorOnlyFormat = "scm-checkpoint/1";

/** A float32 host tensor: shape and C-order values. */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** What a checkpoint holds: JSON state and named float32 tensors. */
export interface Checkpoint<M = Record<string, unknown>> {
  readonly meta: M;
  readonly tensors: Readonly<Record<string, HostTensor>>;
}

const keys = { format: "scm.format", meta: "scm.checkpoint", crc: "scm.crc32" } as const;

// Format 1's CRC-32: over the tensors' bytes in name order only.
function tensorCrc(tensors: Readonly<Record<string, { data: Float32Array }>>): string {
  const names = Object.keys(tensors).sort();
  let total = 0;
  for (const n of names) total += tensors[n]!.data.byteLength;
  const all = new Uint8Array(total);
  let offset = 0;
  for (const n of names) {
    const d = tensors[n]!.data;
    all.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), offset);
    offset += d.byteLength;
  }
  return crc32(all).toString(16).padStart(8, "0");
}

// CRC-32 over everything a resume reads: format tag, JSON state, then each tensor (name order) as
// its name, its shape and its bytes, each piece closed by a 0 byte so no two layouts collide.
function fileCrc(
  format: string,
  metaJson: string,
  tensors: Readonly<Record<string, { shape: readonly number[]; data: Float32Array }>>,
): string {
  const enc = new TextEncoder();
  const zero = new Uint8Array(1);
  let c = 0;
  const add = (b: Uint8Array) => {
    c = crc32(zero, crc32(b, c));
  };
  add(enc.encode(format));
  add(enc.encode(metaJson));
  for (const name of Object.keys(tensors).sort()) {
    const t = tensors[name]!;
    add(enc.encode(name));
    add(enc.encode(t.shape.join(",")));
    add(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  return c.toString(16).padStart(8, "0");
}

/** Encodes a checkpoint as safetensors bytes (format tag, JSON state and a CRC of the whole in the metadata). */
export function encodeCheckpoint(checkpoint: Checkpoint<object>): Uint8Array {
  const arrays: Record<string, NdArray> = {};
  for (const [name, t] of Object.entries(checkpoint.tensors)) arrays[name] = ndarray(t.data, [...t.shape]);
  const metaJson = JSON.stringify(checkpoint.meta);
  return encodeSafetensors(arrays, {
    [keys.format]: checkpointFormat,
    [keys.meta]: metaJson,
    [keys.crc]: fileCrc(checkpointFormat, metaJson, checkpoint.tensors),
  });
}

/** Decodes and verifies checkpoint bytes; `source` (a path) names the file in errors. */
export function decodeCheckpoint<M = Record<string, unknown>>(
  bytes: Uint8Array,
  source: string,
): Checkpoint<M> {
  let contents: ReturnType<typeof decodeSafetensors>;
  try {
    contents = decodeSafetensors(bytes);
  } catch (err) {
    throw new RunError(`${source} is not a readable checkpoint (${(err as Error).message}).`, source);
  }
  const { metadata } = contents;
  const format = metadata[keys.format];
  if (format !== checkpointFormat && format !== tensorOnlyFormat) {
    throw new RunError(
      `${source} is not an sCM-TS checkpoint (format ${describe(format ?? null)}; expected "${checkpointFormat}").`,
      source,
    );
  }
  const tensors: Record<string, HostTensor> = {};
  for (const [name, a] of Object.entries(contents.tensors)) {
    if (!(a.data instanceof Float32Array)) {
      throw new RunError(`${source} holds ${name} as ${a.data.constructor.name}; expected float32.`, source);
    }
    tensors[name] = { shape: [...a.shape], data: a.data };
  }
  const recorded = metadata[keys.crc];
  const crc =
    format === checkpointFormat ? fileCrc(format, metadata[keys.meta] ?? "", tensors) : tensorCrc(tensors);
  if (crc !== recorded) {
    const what = format === checkpointFormat ? "its state and tensor data have" : "its tensor data has";
    throw new RunError(
      `${source} is corrupt: ${what} CRC-32 ${crc} but the file records ${recorded === undefined ? "none" : recorded.slice(0, 16)}.`,
      source,
    );
  }
  let meta: M;
  try {
    meta = JSON.parse(metadata[keys.meta] ?? "") as M;
  } catch {
    throw new RunError(`${source} is corrupt: its state metadata is not JSON.`, source);
  }
  return { meta, tensors };
}

/** The tensors whose names start with `prefix`, with the prefix removed. */
export function tensorGroup(
  tensors: Readonly<Record<string, HostTensor>>,
  prefix: string,
): Record<string, HostTensor> {
  const out: Record<string, HostTensor> = {};
  for (const [name, t] of Object.entries(tensors))
    if (name.startsWith(prefix)) out[name.slice(prefix.length)] = t;
  return out;
}
