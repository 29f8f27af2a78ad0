// A small MNIST classifier whose penultimate activations serve as an MNIST-domain feature space for
// FID (the role InceptionV3 plays for natural images; cf. the LeNet features of Heusel et al. 2017,
// App. "FID on MNIST", and the common practice in diffusion papers' MNIST ablations).
// [B, 28, 28, 1] in [−1, 1] → flatten (784) → dense 256 → ReLU → dense 128 → ReLU = features
// → dense 10 = logits. A multilayer perceptron rather than a CNN: tfjs's wasm backend has no
// Conv2DBackpropFilter kernel and the cpu backend needs minutes per epoch for convolutions, while
// dense layers train in seconds on wasm. Parameters in tfjs layout (dense weights [in, out]).
import { Rng, tf } from "@scm/backend";
import { formatShape } from "@scm/errors";
import type { NdArray } from "@scm/io";
import ndarray from "ndarray";
import { WeightsError } from "./errors.js";
import { type FeatureExtractor, matchChannels } from "./feature-extractor.js";

/** The side of the MNIST network's input. */
export const MNIST_SIZE = 28;
/** The MNIST feature dimension. */
export const MNIST_FEATURES = 128;

/** Parameter names and shapes of the MNIST network (dense weights [in, out]). */
export const MNIST_PARAMETER_SHAPES: Readonly<Record<string, readonly number[]>> = {
  "fc1.weight": [MNIST_SIZE * MNIST_SIZE, 256],
  "fc1.bias": [256],
  "fc2.weight": [256, MNIST_FEATURES],
  "fc2.bias": [MNIST_FEATURES],
  "fc3.weight": [MNIST_FEATURES, 10],
  "fc3.bias": [10],
};

/** The MNIST network's parameters as tfjs tensors, by name. */
export type MnistParams = Record<keyof typeof MNIST_PARAMETER_SHAPES, tf.Tensor>;

/** Seeded He-normal initial parameters (variables, so they can be trained). */
export function initMnistParams(seed: number): MnistParams {
  const rng = Rng.seeded(seed);
  const out: Record<string, tf.Tensor> = {};
  for (const [name, shape] of Object.entries(MNIST_PARAMETER_SHAPES)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (name.endsWith("weight")) {
      rng.fillNormal(data, 0, Math.sqrt(2 / shape[0]!)); // He normal, fan-in = rows
    }
    const initial = tf.tensor(data, [...shape]);
    out[name] = tf.variable(initial, true); // unnamed: tfjs variable names must be unique per process
    initial.dispose();
  }
  return out as MnistParams;
}

/** Features [B, 128] and logits [B, 10] of [B, 28, 28, 1] images in [−1, 1]. */
export function mnistForward(
  params: MnistParams,
  images: tf.Tensor4D,
): { features: tf.Tensor2D; logits: tf.Tensor2D } {
  return tf.tidy(() => {
    const p = params as Record<string, tf.Tensor>;
    const dense = (x: tf.Tensor2D, layer: string) =>
      tf.add(tf.matMul(x, p[`${layer}.weight`] as tf.Tensor2D), p[`${layer}.bias`]!) as tf.Tensor2D;
    const flat = tf.reshape(images, [images.shape[0], MNIST_SIZE * MNIST_SIZE]) as tf.Tensor2D;
    const h1 = tf.relu(dense(flat, "fc1")); // [B, 256]
    const features = tf.relu(dense(h1, "fc2")); // [B, 128]
    const logits = dense(features, "fc3"); // [B, 10]
    return { features, logits };
  });
}

/**
 * The digit the classifier sees in each image [B, H, W, C] in [−1, 1] (brought to 28×28 grey first):
 * how sample quality is measured as class accuracy. Reads the device (outside tidy: returning a typed
 * array from tf.tidy makes it walk every element).
 */
export function mnistPredict(params: MnistParams, images: tf.Tensor4D): Int32Array {
  const predicted = tf.tidy(() => tf.argMax(mnistForward(params, toMnistInput(images)).logits, 1));
  try {
    return predicted.dataSync() as Int32Array;
  } finally {
    predicted.dispose();
  }
}

/** Brings images [B, H, W, C] in [−1, 1] to the network's [B, 28, 28, 1] (channel mean, bilinear resize). */
export function toMnistInput(images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const gray = matchChannels(images, 1);
    const [, h, w] = gray.shape;
    return h === MNIST_SIZE && w === MNIST_SIZE
      ? gray
      : tf.image.resizeBilinear(gray, [MNIST_SIZE, MNIST_SIZE], false, true);
  });
}

/** The parameters as host arrays (for safetensors), by name. */
export function mnistParamsToHost(params: MnistParams): Record<string, NdArray> {
  const out: Record<string, NdArray> = {};
  for (const [name, t] of Object.entries(params as Record<string, tf.Tensor>)) {
    out[name] = ndarray(Float32Array.from(t.dataSync()), t.shape) as NdArray;
  }
  return out;
}

/** Checks host arrays (e.g. decoded safetensors) against the layout and uploads them. */
export function mnistParamsFromHost(
  tensors: Readonly<Record<string, NdArray>>,
  source = "the MNIST weights",
): MnistParams {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, shape] of Object.entries(MNIST_PARAMETER_SHAPES)) {
    const a = tensors[name];
    if (a === undefined)
      throw new WeightsError(
        source,
        `${source} lacks ${name}; expected the MNIST feature network's parameters.`,
      );
    if (a.shape.join(",") !== shape.join(",")) {
      throw new WeightsError(
        source,
        `${source}: ${name} has shape ${formatShape(a.shape)}; expected ${formatShape(shape)}.`,
      );
    }
    out[name] = tf.tensor(Float32Array.from(a.data as ArrayLike<number>), [...shape]);
  }
  return out as MnistParams;
}

/** Frees the parameters. */
export function disposeMnistParams(params: MnistParams): void {
  tf.dispose(Object.values(params as Record<string, tf.Tensor>));
}

/** The MNIST network as a `FeatureExtractor` (owns `params`; `dispose` frees them). */
export function mnistExtractor(params: MnistParams): FeatureExtractor {
  return {
    name: "mnist",
    dim: MNIST_FEATURES,
    channels: 1,
    features: (images) =>
      tf.tidy(() => {
        const { features, logits } = mnistForward(params, toMnistInput(images));
        logits.dispose();
        return features;
      }),
    dispose: () => disposeMnistParams(params),
  };
}
