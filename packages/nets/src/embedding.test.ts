import { tf } from "@scm/backend";
import { assertAllClose, relativeError } from "@scm/jvp/testing";
import { afterAll, describe, expect, it } from "vitest";
import { conditioningDefaults } from "./config.js";
import { conditioning, positionalEmbedding, positionalFrequencies, timeFeatures } from "./embedding.js";
import { ParamScope } from "./layer.js";
import { initMlp, mlp } from "./mlp.js";
import { countSpec, disposeParams, initParams } from "./params.js";
import { presets } from "./presets.js";
import { randomizeParams } from "./testing/index.js";

describe("positionalFrequencies", () => {
  it("runs geometrically from 1 down to 10000^(−(K−1)/K), so every feature is monotone on [0, π/2]", () => {
    const w = positionalFrequencies(8); // K = 4: 1, 10000^(−1/4) = 0.1, 0.01, 0.001
    // float32 storage: ~1e-8 relative.
    assertAllClose(w, [1, 0.1, 0.01, 0.001], { rtol: 1e-6, atol: 0 });
    // ω·π/2 ≤ π/2: cos and sin of ω t are monotone over t ∈ [0, π/2] for every channel.
    expect(Math.max(...w) * (Math.PI / 2)).toBeLessThanOrEqual(Math.PI / 2);
  });
});

describe("positionalEmbedding", () => {
  it("is [cos(ω t), sin(ω t)] of each t", () => {
    const t = tf.tensor1d([0, 0.5, Math.PI / 2]);
    const e = positionalEmbedding(t, 4); // ω = 1, 0.01
    const expected = [0, 0.5, Math.PI / 2].flatMap((v) => [
      Math.cos(v),
      Math.cos(0.01 * v),
      Math.sin(v),
      Math.sin(0.01 * v),
    ]);
    // float32 sin/cos of arguments ≤ π/2: ~1e-7 absolute.
    assertAllClose(e, expected, { atol: 1e-6, rtol: 0 });
    tf.dispose([t, e]);
  });
});

describe("timeFeatures", () => {
  it("uses cos/sin(2πf t) with the stored Fourier frequencies f ~ N(0, scale²), a non-trainable buffer", () => {
    const cfg = { ...conditioningDefaults, timeEmbedding: "fourier" as const, fourierScale: 16 };
    const scope = new ParamScope();
    conditioning(scope, cfg, 256, 8);
    const spec = scope.spec;
    expect(spec["map_noise.freqs"]!.trainable).toBe(false);
    const params = initParams(spec, 3);
    const f = Array.from(params["map_noise.freqs"]!.dataSync());
    // 128 draws of N(0, 16²): the sample std is within 4 standard errors (16/√256 = 1) of 16.
    const std = Math.sqrt(f.reduce((s, v) => s + v * v, 0) / f.length);
    expect(Math.abs(std - 16)).toBeLessThan(4);
    const t = tf.tensor1d([0.3]);
    const features = timeFeatures(new ParamScope(), cfg, 256); // reads the same map_noise.freqs
    const e = Array.from(features(params, t).dataSync());
    const expected = [
      ...f.map((v) => Math.cos(2 * Math.PI * v * 0.3)),
      ...f.map((v) => Math.sin(2 * Math.PI * v * 0.3)),
    ];
    // Arguments up to ~2π·50·0.3 ≈ 100 rad: float32 rounding of the argument (~1e-5) bounds the error.
    expect(relativeError(e, expected)).toBeLessThan(1e-4);
    // The buffer is no parameter: the trainable count excludes its 128 numbers.
    expect(countSpec(spec)).toBe(256 * 8 + 8 + 8 * 8 + 8 + 256 + 1);
    disposeParams(params);
    t.dispose();
  });
});

describe("conditioning", () => {
  const cfg = { ...conditioningDefaults, numClasses: 3 };
  const scope = new ParamScope();
  const condition = conditioning(scope, cfg, 16, 8);
  const fresh = initParams(scope.spec, 0);
  const live = randomizeParams(fresh, 1);
  const t = tf.tensor1d([0.01, 0.8, 1.57]);
  afterAll(() => {
    disposeParams(fresh);
    disposeParams(live);
    t.dispose();
  });

  it("gives logvar = w_φ(t) = 0 at init and logvar_linear(time features) once trained", () => {
    const { emb, logvar } = condition(fresh, t, undefined, undefined);
    expect(emb.shape).toEqual([3, 8]);
    expect(Array.from(logvar.dataSync())).toEqual([0, 0, 0]); // zero-initialised last layer (§4.2)
    const out = condition(live, t, undefined, undefined);
    const w = live["logvar_linear.weight"]!.dataSync();
    const b = live["logvar_linear.bias"]!.dataSync()[0]!;
    const feats = positionalEmbedding(t, 16);
    const f = feats.arraySync() as number[][];
    const expected = f.map((row) => row.reduce((s, v, k) => s + v * w[k]!, b));
    // A 16-term float32 dot product: ~1e-6 relative.
    expect(relativeError(out.logvar, expected)).toBeLessThan(1e-5);
    tf.dispose([emb, logvar, out.emb, out.logvar, feats]);
  });
});

describe("guidance embedding", () => {
  const config = { ...presets.mlp.toy2d, hiddenSize: 16, depth: 1, guidanceEmbedding: true };
  const fresh = initMlp(config, 0);
  const x = tf.tensor2d([
    [0.5, -1],
    [2, 0.25],
  ]);
  const t = tf.tensor1d([0.4, 1.2]);
  const g1 = tf.tensor1d([1, 1]);
  const g2 = tf.tensor1d([2, 2]);
  afterAll(() => {
    disposeParams(fresh);
    tf.dispose([x, t, g1, g2]);
  });

  it("leaves F unchanged at init (map_guidance starts at 0) and changes it once trained", () => {
    // Everything live except map_guidance: the embedding adds exactly 0 whatever the scale.
    const live = randomizeParams(fresh, 2);
    const teacher = {
      ...live,
      "map_guidance.weight": fresh["map_guidance.weight"]!,
      "map_guidance.bias": fresh["map_guidance.bias"]!,
    };
    const F = (net: ReturnType<typeof mlp>, guidance: tf.Tensor) => {
      const out = net(x, t, { guidance });
      out.logvar.dispose();
      return out.F;
    };
    const atInit = mlp(config, teacher);
    const [a, b] = [F(atInit, g1), F(atInit, g2)];
    expect(relativeError(a, b)).toBe(0);
    const trained = mlp(config, live);
    const [c, d] = [F(trained, g1), F(trained, g2)];
    // s = 1 and s = 2 embed to different positional features: an O(1) relative change.
    expect(relativeError(c, d)).toBeGreaterThan(1e-2);
    expect(() => trained(x, t)).toThrow(
      "options.guidance is missing; expected a guidance scale [B]: the config embeds one.",
    );
    tf.dispose([a, b, c, d]);
    disposeParams(live);
  });
});
