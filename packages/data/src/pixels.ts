// Pixel conventions: uint8 images ↔ the paper's [−1, 1] range, and gray / RGB channel conversion.

import { formatShape } from "@scm/errors";
import type { NdArray } from "@scm/io";
import ndarray from "ndarray";
import { DataError } from "./errors.js";

/** Maps uint8 pixels to [−1, 1]: x = u / 127.5 − 1 (the EDM / sCM data convention, with σ_d = 0.5). */
export function pixelsToUnit(u: number): number {
  return u / 127.5 - 1;
}

/** Maps [−1, 1] values back to uint8 pixels: round((x + 1) · 127.5), clamped to 0..255. */
export function unitToPixels(x: number): number {
  return Math.min(255, Math.max(0, Math.round((x + 1) * 127.5)));
}

/** One [H, W, C] sample of [−1, 1] data as a uint8 image, for `encodePng` / `imageGrid`. */
export function toUint8Image(
  x: ArrayLike<number>,
  shape: readonly [number, number, number],
): NdArray<Uint8Array> {
  const [h, w, c] = shape;
  if (x.length !== h * w * c) {
    throw new DataError(
      `The image holds ${x.length} values; expected H·W·C = ${h}·${w}·${c} = ${h * w * c}.`,
    );
  }
  const out = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = unitToPixels(x[i] as number);
  return ndarray(out, [h, w, c]);
}

/** Converts a [H, W, C] image (C = 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) to 1 channel (ITU-R 601 luma, as PIL's "L") or 3 (RGB); alpha is dropped. */
export function toChannels(img: NdArray, channels: 1 | 3): NdArray<Float32Array> {
  const [h, w, c] = img.shape as [number, number, number];
  if (img.shape.length !== 3 || c < 1 || c > 4) {
    throw new DataError(`The image has shape ${formatShape(img.shape)}; expected [H, W, C] with C in 1..4.`);
  }
  const out = new Float32Array(h * w * channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = (y * w + x) * channels;
      if (c <= 2) {
        const g = img.get(y, x, 0) as number;
        for (let k = 0; k < channels; k++) out[p + k] = g;
      } else if (channels === 3) {
        for (let k = 0; k < 3; k++) out[p + k] = img.get(y, x, k) as number;
      } else {
        // L = R·299/1000 + G·587/1000 + B·114/1000 (ITU-R 601-2)
        out[p] =
          (299 * (img.get(y, x, 0) as number) +
            587 * (img.get(y, x, 1) as number) +
            114 * (img.get(y, x, 2) as number)) /
          1000;
      }
    }
  }
  return ndarray(out, [h, w, channels]);
}
