// Host-side image resizing on [H, W, C] ndarrays: separable area (box) or bilinear filters, and a
// centre crop to an aspect ratio, so images of any size become the training size.

import { formatShape } from "@scm/errors";
import type { NdArray } from "@scm/io";
import ndarray from "ndarray";
import { DataError } from "./errors.js";

/** How `resizeImage` filters: "area" averages the input area under each output pixel (PIL BOX, OpenCV INTER_AREA); "bilinear" interpolates at half-pixel centres (align_corners = false). */
export type ResizeMethod = "area" | "bilinear";

/** Each output index's input taps and weights along one axis (weights sum to 1). */
type Taps = { index: number[]; weight: number[] }[];

function axisTaps(inSize: number, outSize: number, method: ResizeMethod): Taps {
  const scale = inSize / outSize;
  const taps: Taps = [];
  for (let i = 0; i < outSize; i++) {
    const index: number[] = [];
    const weight: number[] = [];
    if (method === "area") {
      // output pixel i covers [i·s, (i+1)·s) of the input; each input pixel j weighs its overlap / s
      const lo = i * scale;
      const hi = (i + 1) * scale;
      for (let j = Math.floor(lo); j < Math.min(inSize, Math.ceil(hi)); j++) {
        const w = Math.min(hi, j + 1) - Math.max(lo, j);
        if (w > 0) {
          index.push(j);
          weight.push(w / scale);
        }
      }
    } else {
      // source coordinate of output centre i + 1/2, clamped to the first / last pixel centre
      const src = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), inSize - 1);
      const j = Math.floor(src);
      const f = src - j;
      index.push(j);
      weight.push(1 - f);
      if (f > 0) {
        index.push(j + 1);
        weight.push(f);
      }
    }
    taps.push({ index, weight });
  }
  return taps;
}

function checkImage(img: NdArray, what: string): [number, number, number] {
  const [h, w, c] = img.shape;
  if (
    img.shape.length !== 3 ||
    h === undefined ||
    w === undefined ||
    c === undefined ||
    h < 1 ||
    w < 1 ||
    c < 1
  ) {
    throw new DataError(
      `${what} has shape ${formatShape(img.shape)}; expected [H, W, C] with every size ≥ 1.`,
    );
  }
  return [h, w, c];
}

/** Resizes a [H, W, C] image to [height, width, C] float32 with a separable area or bilinear filter. */
export function resizeImage(
  img: NdArray,
  height: number,
  width: number,
  method: ResizeMethod = "area",
): NdArray<Float32Array> {
  const [h, w, c] = checkImage(img, "The image to resize");
  if (!Number.isSafeInteger(height) || !Number.isSafeInteger(width) || height < 1 || width < 1) {
    throw new DataError(`The resize target is ${height}x${width}; expected positive integers.`);
  }
  const rows = axisTaps(h, height, method);
  const cols = axisTaps(w, width, method);
  // rows first: [h, w, c] → [height, w, c]
  const tmp = new Float64Array(height * w * c);
  for (let i = 0; i < height; i++) {
    const { index, weight } = rows[i]!;
    for (let k = 0; k < index.length; k++) {
      const y = index[k]!;
      const wt = weight[k]!;
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < c; ch++) tmp[(i * w + x) * c + ch]! += wt * (img.get(y, x, ch) as number);
      }
    }
  }
  // then columns: [height, w, c] → [height, width, c]
  const out = new Float32Array(height * width * c);
  for (let i = 0; i < height; i++) {
    for (let j = 0; j < width; j++) {
      const { index, weight } = cols[j]!;
      for (let ch = 0; ch < c; ch++) {
        let s = 0;
        for (let k = 0; k < index.length; k++) s += weight[k]! * tmp[(i * w + index[k]!) * c + ch]!;
        out[(i * width + j) * c + ch] = s;
      }
    }
  }
  return ndarray(out, [height, width, c]);
}

/** The centred [height, width, C] window of a [H, W, C] image (a view; offsets round down). */
export function centerCrop<D extends NdArray>(img: D, height: number, width: number): D {
  const [h, w] = checkImage(img, "The image to crop");
  if (height > h || width > w || height < 1 || width < 1) {
    throw new DataError(
      `A ${height}x${width} crop does not fit in a ${h}x${w} image; expected a size within it.`,
    );
  }
  const top = Math.floor((h - height) / 2);
  const left = Math.floor((w - width) / 2);
  return img.hi(top + height, left + width, img.shape[2] as number).lo(top, left, 0) as D;
}

/** Centre-crops a [H, W, C] image to the aspect ratio of height:width, then resizes it to exactly [height, width, C]. */
export function fitImage(
  img: NdArray,
  height: number,
  width: number,
  method: ResizeMethod = "area",
): NdArray<Float32Array> {
  const [h, w] = checkImage(img, "The image to fit");
  // the largest centred window with the target's aspect ratio
  let ch = h;
  let cw = w;
  if (w * height > h * width) cw = Math.max(1, Math.round((h * width) / height));
  else if (w * height < h * width) ch = Math.max(1, Math.round((w * height) / width));
  return resizeImage(centerCrop(img, ch, cw), height, width, method);
}
