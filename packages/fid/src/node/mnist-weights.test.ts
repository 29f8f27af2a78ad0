import { readFileSync } from "node:fs";
import { tf } from "@scm/backend";
import { loadMnist } from "@scm/data/node";
import { decodeSafetensors, type NdArray } from "@scm/io";
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { arrayImageSource, extractFeatures } from "../extract.js";
import { disposeMnistParams, MNIST_FEATURES, mnistExtractor } from "../mnist-net.js";
import { mnistAccuracy } from "../train-mnist.js";
import { loadMnistWeights, MNIST_WEIGHTS_PATH } from "./weights.js";

describe("the shipped MNIST feature network", () => {
  it("classifies @scm/data's fid held-out split as recorded when it was trained: 1,941 of 1,996 (97.24%)", async () => {
    // the split it was trained and scored on (pinned byte for byte in @scm/data's loadMnist tests);
    // float32 differences between backends can move a borderline digit or two (0.05% each)
    const test = await loadMnist({ part: "heldout", split: "fid" });
    const params = await loadMnistWeights();
    const accuracy = mnistAccuracy(params, test);
    expect(test.n).toBe(1996);
    expect(Math.abs(accuracy * test.n - 1941)).toBeLessThanOrEqual(2);
    const { metadata } = decodeSafetensors(new Uint8Array(readFileSync(MNIST_WEIGHTS_PATH)));
    expect(metadata["heldout_accuracy"]).toBe("0.9724"); // 1941 / 1996, as the training CLI wrote it
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
