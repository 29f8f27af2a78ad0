// The detector interface FID is computed through (docs/style.md §8): a network mapping images to
// features. Extractors own their weights (tfjs tensors) until `dispose`.
import { tf } from "@scm/backend";

/** A feature network: images [B, H, W, C] in [−1, 1] (float32, NHWC) to features [B, dim]. */
export interface FeatureExtractor {
  /** A short name (`inception`, `mnist`), printed by the CLI. */
  readonly name: string;
  /** The feature dimension. */
  readonly dim: number;
  /** Channels the network reads: 3 (grayscale inputs are repeated) or 1 (colour inputs are averaged). */
  readonly channels: 1 | 3;
  /** Features of a batch; a fresh tensor, the input is not disposed. */
  features(images: tf.Tensor4D): tf.Tensor2D;
  /** Frees the weights. */
  dispose(): void;
}

/** Repeats a 1-channel batch to 3 channels, or averages 3 (or 4, alpha dropped) channels to 1. */
export function matchChannels(images: tf.Tensor4D, channels: 1 | 3): tf.Tensor4D {
  const c = images.shape[3];
  if (c === channels) return tf.clone(images);
  return tf.tidy(() => {
    const rgb = c === 4 ? tf.slice(images, [0, 0, 0, 0], [-1, -1, -1, 3]) : images;
    if (channels === 3 && c === 1) return tf.tile(images, [1, 1, 1, 3]);
    if (channels === 1 && (c === 3 || c === 4)) return tf.mean(rgb, 3, true) as tf.Tensor4D;
    if (channels === 3 && c === 4) return rgb as tf.Tensor4D;
    throw new RangeError(`The images have ${c} channels; expected 1, 3 or 4.`);
  });
}
