// Feature extraction over a source of images, batch by batch, in the [−1, 1] convention of sCM
// samples: uint8 pixels map to x/127.5 − 1 (pytorch-fid's x/255 then 2x − 1), float pixels are
// taken as [−1, 1] and clipped to it (generated samples overshoot a little).
import { tf } from "@scm/backend";
import { formatShape } from "@scm/errors";
import type { NdArray } from "@scm/io";
import ndarray from "ndarray";
import { FidInputError } from "./errors.js";
import type { FeatureExtractor } from "./feature-extractor.js";

/** Images to measure: `count` of them, read in ranges. */
export interface ImageSource {
  /** A name for messages (a path). */
  readonly name: string;
  /** How many images. */
  readonly count: number;
  /** Images [start, end) as [H, W, C] (or [H, W]) arrays, uint8 or float in [−1, 1]. */
  read(start: number, end: number): Promise<NdArray[]> | NdArray[];
}

/** Options of `extractFeatures`. */
export interface ExtractOptions {
  /** Images per forward pass (default 50, as pytorch-fid). */
  batchSize?: number;
  /** Called after each batch with the images done so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * An `ImageSource` over a tensor of samples [N, H, W, C], clipped to [−1, 1] and copied to the host
 * once, with an awaited read (GPU backends have no synchronous one). Read outside tf.tidy: tidy walks
 * a returned typed array key by key (~0.6 µs per element).
 */
export async function tensorImageSource(x: tf.Tensor, name = "the samples"): Promise<ImageSource> {
  const clipped = tf.clipByValue(x, -1, 1);
  let values: Float32Array;
  try {
    values = Float32Array.from((await clipped.data()) as Float32Array);
  } finally {
    clipped.dispose();
  }
  return arrayImageSource(ndarray(values, [...x.shape]) as NdArray, name);
}

/** An `ImageSource` over one array of images [N, H, W, C] or [N, H, W] (a `.npy` of samples). */
export function arrayImageSource(images: NdArray, name = "the images"): ImageSource {
  const shape = images.shape;
  if (shape.length !== 3 && shape.length !== 4) {
    throw new FidInputError(
      name,
      `${name} has shape ${formatShape(shape)}; expected images [N, H, W, C] or [N, H, W].`,
    );
  }
  const c = shape.length === 4 ? shape[3]! : 1;
  if (c !== 1 && c !== 3 && c !== 4) {
    throw new FidInputError(
      name,
      `${name} has ${c} channels (shape ${formatShape(shape)}); expected 1, 3 or 4 (NHWC).`,
    );
  }
  return {
    name,
    count: shape[0]!,
    read: (start, end) => {
      const out: NdArray[] = [];
      for (let i = start; i < end; i++) out.push(images.pick(i) as NdArray);
      return out;
    },
  };
}

/** Converts one image [H, W, C] or [H, W] (uint8, or float in [−1, 1]) to float32 [H, W, C] in [−1, 1]. */
export function imageToUnitRange(
  image: NdArray,
  name: string,
): { data: Float32Array; shape: [number, number, number] } {
  const [h, w] = image.shape as [number, number];
  const c = image.shape.length === 3 ? image.shape[2]! : 1;
  const data = new Float32Array(h * w * c);
  const isUint8 = image.data instanceof Uint8Array || image.data instanceof Uint8ClampedArray;
  if (image.data instanceof BigInt64Array || image.data instanceof BigUint64Array) {
    throw new FidInputError(
      name,
      `${name} holds 64-bit integers; expected uint8 pixels or floats in [−1, 1].`,
    );
  }
  let k = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++) {
        const v = Number(image.shape.length === 3 ? image.get(y, x, ch) : image.get(y, x));
        if (isUint8) data[k++] = v / 127.5 - 1;
        else {
          if (!(Math.abs(v) <= 2)) {
            throw new FidInputError(
              name,
              `${name} has a pixel value ${v}; expected floats in [−1, 1] (or uint8 pixels).`,
            );
          }
          data[k++] = Math.min(1, Math.max(-1, v));
        }
      }
  return { data, shape: [h, w, c] };
}

/** Features [N, dim] (float32) of every image of `source`, through `extractor`. */
export async function extractFeatures(
  extractor: FeatureExtractor,
  source: ImageSource,
  options: ExtractOptions = {},
): Promise<NdArray<Float32Array>> {
  const batchSize = options.batchSize ?? 50;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new FidInputError("batchSize", `The batch size is ${batchSize}; expected a positive integer.`);
  }
  const total = source.count;
  const out = new Float32Array(total * extractor.dim);
  for (let start = 0; start < total; start += batchSize) {
    const end = Math.min(total, start + batchSize);
    const images = (await source.read(start, end)).map((img, i) =>
      imageToUnitRange(img, `${source.name} [image ${start + i}]`),
    );
    // Same-sized images run as one batch; mixed sizes run one by one (each is resized by the network).
    const groups = images.every((im) => im.shape.join() === images[0]!.shape.join())
      ? [images]
      : images.map((im) => [im]);
    let row = start;
    for (const group of groups) {
      const [h, w, c] = group[0]!.shape;
      const batch = new Float32Array(group.length * h * w * c);
      for (const [i, im] of group.entries()) batch.set(im.data, i * h * w * c);
      const features = tf.tidy(() => extractor.features(tf.tensor4d(batch, [group.length, h, w, c])));
      out.set(await features.data(), row * extractor.dim);
      features.dispose();
      row += group.length;
    }
    options.onProgress?.(end, total);
  }
  return ndarray(out, [total, extractor.dim]) as NdArray<Float32Array>;
}
