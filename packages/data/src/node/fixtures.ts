// Test helpers: write tiny PNG / JPEG / CSV fixtures into a fresh temp folder.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { encodePng } from "@scm/io";
import jpeg from "jpeg-js";
import ndarray from "ndarray";
import { expect } from "vitest";
import { DataError } from "../errors.js";

/** A fresh temp folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "scm-data-"));
}

/** Writes `data` to `root/rel`, creating folders. */
export function put(root: string, rel: string, data: Uint8Array | string): string {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  return path;
}

/** PNG bytes of an [h, w, c] image whose every sample is `value(y, x, k)`. */
export function png(
  h: number,
  w: number,
  c: number,
  value: (y: number, x: number, k: number) => number,
): Uint8Array {
  const d = new Uint8Array(h * w * c);
  for (let i = 0; i < d.length; i++) d[i] = value(Math.floor(i / (w * c)), Math.floor(i / c) % w, i % c);
  return encodePng(ndarray(d, [h, w, c]));
}

/** JPEG bytes (quality 100) of an [h, w] RGB image of one colour. */
export function jpegOf(h: number, w: number, rgb: [number, number, number]): Uint8Array {
  const data = new Uint8Array(h * w * 4);
  for (let i = 0; i < h * w; i++) data.set([...rgb, 255], 4 * i);
  return new Uint8Array(jpeg.encode({ data, width: w, height: h }, 100).data);
}

/** The DataError a promise rejects with (fails the test when it resolves or throws something else). */
export async function dataError(p: Promise<unknown>): Promise<DataError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DataError);
  return e as DataError;
}
