// Thin file wrappers over the codecs: read or atomically write one file; errors name the path.
import { readFile } from "node:fs/promises";
import type { NdArray } from "../dtype.js";
import { FormatError, LimitError } from "../errors.js";
import { decodeImage, encodePng } from "../image.js";
import type { ReadLimits } from "../limits.js";
import { decodeNpy, encodeNpy } from "../npy.js";
import { decodeNpz, encodeNpz } from "../npz.js";
import {
  decodeSafetensors,
  type EncodeSafetensorsOptions,
  encodeSafetensors,
  type SafetensorsContents,
} from "../safetensors.js";
import { IoError, writeFileAtomic } from "./atomic.js";

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new IoError(path, `Cannot read ${path}: ${(e as Error).message}.`, e);
  }
}

/** Runs a codec, prefixing any FormatError with the path it came from. */
function withPath<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof LimitError)
      throw new LimitError(e.format, e.what, e.requested, e.limit, e.allowed, {
        ...(e.field === undefined ? {} : { field: e.field }),
        source: path,
        cause: e,
      });
    if (e instanceof FormatError)
      throw new FormatError(e.format, `${path}: ${e.message}`, {
        ...(e.field === undefined ? {} : { field: e.field }),
        cause: e,
      });
    throw e;
  }
}

async function write(path: string, encode: () => Uint8Array): Promise<void> {
  await writeFileAtomic(path, withPath(path, encode));
}

/** Reads a .npy file (`limits` raises the read limits, see `ReadLimits`). */
export async function readNpyFile(path: string, limits?: Partial<ReadLimits>): Promise<NdArray> {
  const b = await readBytes(path);
  return withPath(path, () => decodeNpy(b, limits));
}

/** Writes a .npy file atomically. */
export async function writeNpyFile(path: string, a: NdArray): Promise<void> {
  await write(path, () => encodeNpy(a));
}

/** Reads an .npz file (savez or savez_compressed). */
export async function readNpzFile(
  path: string,
  limits?: Partial<ReadLimits>,
): Promise<Record<string, NdArray>> {
  const b = await readBytes(path);
  return withPath(path, () => decodeNpz(b, limits));
}

/** Writes an .npz file (stored entries, like numpy.savez) atomically. */
export async function writeNpzFile(path: string, record: Record<string, NdArray>): Promise<void> {
  await write(path, () => encodeNpz(record));
}

/** Reads a .safetensors file. */
export async function readSafetensorsFile(
  path: string,
  limits?: Partial<ReadLimits>,
): Promise<SafetensorsContents> {
  const b = await readBytes(path);
  return withPath(path, () => decodeSafetensors(b, limits));
}

/** Writes a .safetensors file atomically. */
export async function writeSafetensorsFile(
  path: string,
  tensors: Record<string, NdArray>,
  metadata?: Record<string, string>,
  options?: EncodeSafetensorsOptions,
): Promise<void> {
  await write(path, () => encodeSafetensors(tensors, metadata, options));
}

/** Reads a PNG or JPEG file as a [H, W, C] uint8 image. */
export async function readImageFile(
  path: string,
  limits?: Partial<ReadLimits>,
): Promise<NdArray<Uint8Array>> {
  const b = await readBytes(path);
  return withPath(path, () => decodeImage(b, limits));
}

/** Writes a [H, W, C] uint8 image as a PNG file atomically. */
export async function writePngFile(path: string, img: NdArray): Promise<void> {
  await write(path, () => encodePng(img));
}
