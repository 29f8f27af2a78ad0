import { tf } from "@scm/backend";
import { decodeSafetensors, encodeSafetensors, type NdArray } from "@scm/io";
import ndarray from "ndarray";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WeightsError } from "./errors.js";
import { initNetwork } from "./network.js";
import { disposeParams, type Params } from "./params.js";
import { presets } from "./presets.js";
import { randomizeParams } from "./testing/index.js";
import {
  configFromSafetensors,
  paramsFromSafetensors,
  paramsToSafetensors,
  weightsMetadataKeys,
} from "./weights.js";

const config = presets.dit.tiny;

function bits(params: Params): Map<string, Uint32Array> {
  return new Map(
    Object.entries(params).map(([k, v]) => [k, new Uint32Array(Float32Array.from(v.dataSync()).buffer)]),
  );
}

describe("paramsToSafetensors / paramsFromSafetensors", () => {
  const fresh = initNetwork(config, 0);
  const params = randomizeParams(fresh, 4);
  let bytes: Uint8Array = new Uint8Array();
  beforeAll(async () => {
    bytes = await paramsToSafetensors(params, config);
  });
  afterAll(() => {
    disposeParams(fresh);
    disposeParams(params);
  });

  it("round-trips every parameter bit for bit, with its name, shape and trainability", () => {
    const loaded = paramsFromSafetensors(bytes, config);
    expect(Object.keys(loaded)).toEqual(Object.keys(params));
    const a = bits(params);
    for (const [name, b] of bits(loaded)) expect(b, name).toEqual(a.get(name));
    for (const [name, v] of Object.entries(loaded)) expect(v.trainable, name).toBe(params[name]!.trainable);
    disposeParams(loaded);
  });

  it("stores the config in the metadata and reads it back", () => {
    expect(configFromSafetensors(bytes)).toEqual(config);
    expect(decodeSafetensors(bytes).metadata[weightsMetadataKeys.format]).toBe("scm-nets/1");
  });

  it("lists every missing, unexpected and mis-shaped tensor and every differing architecture field", () => {
    const { tensors, metadata } = decodeSafetensors(bytes);
    const edited: Record<string, NdArray> = { ...tensors };
    delete edited["map_layer0.bias"];
    edited["extra.weight"] = ndarray(new Float32Array(2), [2]);
    edited["logvar_linear.weight"] = ndarray(new Float32Array(64), [32, 2]);
    const meta = {
      ...metadata,
      [weightsMetadataKeys.config]: JSON.stringify({ ...config, modulation: "adagn" }),
    };
    const bad = encodeSafetensors(edited, meta);
    let error: unknown;
    try {
      paramsFromSafetensors(bad, config);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WeightsError);
    const found = (error as WeightsError).mismatches.map((m) => `${m.kind} ${m.name}`).sort();
    expect(found).toEqual([
      "config config.modulation",
      "missing map_layer0.bias",
      "shape logvar_linear.weight",
      "unexpected extra.weight",
    ]);
    expect((error as Error).message).toContain("logvar_linear.weight has shape [32, 2], expected [32, 1]");
  });

  it("loads a teacher's weights into a config with a new guidance embedding, drawing it as init would", () => {
    const before = tf.memory().numTensors;
    const student = { ...config, guidanceEmbedding: true };
    expect(() => paramsFromSafetensors(bytes, student)).toThrow(/map_guidance.weight missing/);
    const loaded = paramsFromSafetensors(bytes, student, { initMissing: { seed: 9 } });
    const init = initNetwork(student, 9);
    // The new layer is exactly what initNetwork draws (zero-initialised); the rest is the file's.
    expect(loaded["map_guidance.weight"]!.dataSync()).toEqual(init["map_guidance.weight"]!.dataSync());
    expect(bits({ w: loaded["blocks.0.attn.qkv.weight"]! }).get("w")).toEqual(
      bits(params).get("blocks.0.attn.qkv.weight"),
    );
    disposeParams(loaded);
    disposeParams(init);
    expect(tf.memory().numTensors).toBe(before); // nothing left behind by loading or failing to
  });
});
