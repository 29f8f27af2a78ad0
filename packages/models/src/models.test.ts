import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tf } from "@scm/backend";
import { disposeMnistParams, mnistPredict } from "@scm/fid";
import { loadMnistWeights } from "@scm/fid/node";
import { crc32 } from "@scm/io";
import { generate, RunError } from "@scm/runs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchModel, modelFromBytes } from "./index.js";
import { loadModel, modelPath } from "./node/index.js";
import { modelNames, shippedModels } from "./registry.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "scm-models-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const expectedMode = { "mnist-teacher": "diffusion", "mnist-scd": "scd", "mnist-sct": "sct" } as const;

describe("the shipped models", () => {
  it.each(modelNames)("%s is the file its entry describes, and loads without leaking", async (name) => {
    const bytes = new Uint8Array(await readFile(modelPath(name)));
    expect([bytes.length, crc32(bytes)]).toEqual([shippedModels[name].bytes, shippedModels[name].crc32]);
    const before = tf.memory().numTensors;
    const model = await loadModel(name);
    expect(model.meta.mode).toBe(expectedMode[name]);
    expect(model.meta.dataset.sampleShape).toEqual([28, 28, 1]);
    expect(model.meta.network.numClasses).toBe(10);
    expect(model.meta.network.guidanceEmbedding).toBe(name === "mnist-scd");
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("mnist-scd draws the digit asked for in one step: ≥ 85% of 64 samples, by @scm/fid's classifier", async () => {
    const model = await loadModel("mnist-scd");
    const classifier = await loadMnistWeights();
    const labels = Array.from({ length: 64 }, (_, i) => i % 10);
    const x = generate(model.net, {
      method: { kind: "consistency", steps: 1 },
      n: 64,
      sampleShape: [28, 28, 1],
      sigmaData: model.meta.sigmaData,
      label: labels,
      numClasses: 10,
      guidance: model.meta.guidanceMax,
      embedsGuidance: true,
    }) as tf.Tensor4D;
    const predicted = mnistPredict(classifier, x);
    const correct = labels.filter((c, i) => predicted[i] === c).length;
    tf.dispose(x);
    disposeMnistParams(classifier);
    model.dispose();
    expect(correct).toBeGreaterThanOrEqual(Math.ceil(0.85 * 64)); // 55 of 64
  });
});

describe("a damaged or unknown model", () => {
  it("refuses a truncated or flipped copy of a shipped file, naming the model", async () => {
    const bytes = new Uint8Array(await readFile(modelPath("mnist-scd")));
    expect(() => modelFromBytes("mnist-scd", bytes.subarray(0, 1000))).toThrow(
      /^The weights of mnist-scd are not the shipped file \(1000 bytes, CRC-32 [0-9a-f]{8}; expected \d+ bytes/,
    );
    const flipped = bytes.slice();
    flipped[flipped.length - 7]! ^= 0x10;
    expect(() => modelFromBytes("mnist-scd", flipped)).toThrow(RunError);
  });

  it("refuses a truncated model file on disk with an error naming it", async () => {
    const bytes = await readFile(modelPath("mnist-sct"));
    const path = join(dir, "cut.safetensors");
    await writeFile(path, bytes.subarray(0, bytes.length - 100));
    await expect(loadModel(path)).rejects.toThrow(new RegExp(`^${path}`));
  });

  it("names an unknown model with the shipped ones, from Node and from fetchModel", async () => {
    const message = /"mnist-gan" is neither a shipped model \(mnist-teacher, mnist-scd, mnist-sct\)/;
    await expect(loadModel("mnist-gan")).rejects.toThrow(message);
    await expect(fetchModel("mnist-gan")).rejects.toThrow(
      'There is no shipped model called "mnist-gan"; the shipped models are mnist-teacher, mnist-scd, mnist-sct.',
    );
  });

  it("fetches a shipped model through a given fetch, and reports an HTTP failure", async () => {
    const bytes = await readFile(modelPath("mnist-sct"));
    const ok = await fetchModel("mnist-sct", { fetch: async () => new Response(bytes) });
    expect(ok.meta.mode).toBe("sct");
    ok.dispose();
    await expect(
      fetchModel("mnist-sct", { fetch: async () => new Response("", { status: 404 }) }),
    ).rejects.toThrow(/^Fetching mnist-sct from .*mnist-sct\.safetensors failed: HTTP 404\.$/);
  });
});
