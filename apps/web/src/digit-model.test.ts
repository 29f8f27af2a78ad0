// The page's checks on a dropped file, in Node: a toy 2-D run's model is refused in one sentence, as
// is a file that is not a model; an image model passes. (The browser test drops a non-model for real.)
import { tf } from "@scm/backend";
import { disposeParams, initNetwork, presets } from "@scm/nets";
import { encodeModelFile, type RunMeta } from "@scm/runs";
import { describe, expect, it } from "vitest";
import { droppedDigitModel } from "./digit-model.js";

async function modelFile(
  network: RunMeta["network"],
  sampleShape: number[],
  name: string,
): Promise<Uint8Array> {
  const params = initNetwork(network, 0);
  const meta: RunMeta = {
    step: 1,
    network,
    dataset: { name, sampleShape },
    sigmaData: 0.5,
    mode: "sct",
    emaName: "ema",
  };
  try {
    return await encodeModelFile(params, meta);
  } finally {
    disposeParams(params);
  }
}

describe("droppedDigitModel", () => {
  it("refuses a model of 2-D points in one sentence, freeing its weights", async () => {
    const bytes = await modelFile(presets.mlp.toy2d!, [2], "moons");
    const before = tf.memory().numTensors;
    expect(() => droppedDigitModel("toy.safetensors", bytes)).toThrow(
      "toy.safetensors makes samples of shape [2] (moons); this page draws images [H, W, 1 or 3].",
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it("refuses a file that is not a model, naming it", () => {
    expect(() => droppedDigitModel("notes.safetensors", new TextEncoder().encode("no"))).toThrow(
      /^notes\.safetensors is not a safetensors model file/,
    );
  });

  it("takes an image model", async () => {
    const bytes = await modelFile(presets.unet.tiny!, [8, 8, 3], "tiny");
    const model = droppedDigitModel("tiny.safetensors", bytes);
    expect(model.source).toBe("tiny.safetensors");
    model.loaded.dispose();
  });
});
