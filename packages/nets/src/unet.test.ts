import { Rng, randomNormal, tf } from "@scm/backend";
import { jvp } from "@scm/jvp";
import {
  jvpDotProductCheck,
  jvpFiniteDifferenceError,
  jvpTolerances,
  leakedTensors,
  relativeError,
} from "@scm/jvp/testing";
import { afterAll, describe, expect, it } from "vitest";
import { NetworkInputError } from "./errors.js";
import { disposeParams } from "./params.js";
import { presets } from "./presets.js";
import { asJvpFn, randomizeParams } from "./testing/index.js";
import { initUNet, unet } from "./unet.js";

const config = presets.unet.tiny; // 8×8×3, 10 classes, attention at 4×4, dropout 0.1

describe("unet", () => {
  const rng = Rng.seeded(7);
  const fresh = initUNet(config, 0);
  const params = randomizeParams(fresh, 1); // zero-initialised layers made live: every path counts
  const net = unet(config, params);
  const x = randomNormal(rng, [2, 8, 8, 3]); // [B, H, W, C]
  const t = tf.tensor1d([0.3, 1.2]); // [B]
  const label = tf.tensor1d([3, 10], "int32"); // a class and the null label
  afterAll(() => {
    disposeParams(fresh);
    disposeParams(params);
    tf.dispose([x, t, label]);
  });

  it("returns F of x's shape and logvar [B], both exactly 0 at init", () => {
    const { F, logvar } = unet(config, fresh)(x, t, { label });
    expect(F.shape).toEqual([2, 8, 8, 3]);
    expect(logvar.shape).toEqual([2]);
    // The output conv and logvar_linear start at weight 0, bias 0 (ADM's zero module; §4.2's w_φ ≈ 0).
    expect(tf.abs(F).max().arraySync()).toBe(0);
    expect(logvar.arraySync()).toEqual([0, 0]);
    tf.dispose([F, logvar]);
  });

  it("has a JVP in (x, t) that matches finite differences and the dot-product identity, dropout on", () => {
    // Dropout masks come from rng.at(k) per layer, so every evaluation sees the same masks; were they
    // redrawn, the finite differences would not match at all.
    const dropout = Rng.seeded(3);
    const fn = asJvpFn(net, { label, dropout });
    // Tolerances and their reasons: `jvpTolerances` (FD ~1e-4 here, dot product ~1e-8).
    expect(jvpFiniteDifferenceError(fn, [x, t], { rng, directions: 1 })).toBeLessThan(
      jvpTolerances.finiteDifference,
    );
    expect(jvpDotProductCheck(fn, [x, t], rng).error).toBeLessThan(jvpTolerances.dotProduct);
  });

  it("leaks no tensor in the forward pass or under jvp", () => {
    const fn = asJvpFn(net, { label, dropout: Rng.seeded(3) });
    expect(leakedTensors(() => fn(x, t), 1)).toBe(0);
    expect(leakedTensors(() => jvp(fn, [x, t], [x, t]), 1)).toBe(0);
  });

  it("gives every trainable parameter a gradient under tf.variableGrads, ∂ΣF/∂(out bias) = B·H·W", () => {
    const trainable = Object.entries(params).filter(([, v]) => v.trainable);
    const { value, grads } = tf.variableGrads(
      () => {
        const { F, logvar } = net(x, t, { label });
        return tf.add(tf.sum(F), tf.sum(logvar)) as tf.Scalar;
      },
      trainable.map(([, v]) => v),
    );
    // variableGrads keys by variable name; every trainable parameter is reached by the forward pass.
    for (const [name, v] of trainable) expect(grads[v.name], name).toBeDefined();
    // F = conv(h) + bias: each of the 2·8·8 pixels adds the bias once per channel (exact in float32).
    const bias = grads[params["dec.8x8_aux_conv.bias"]!.name]!;
    expect(Array.from(bias.dataSync())).toEqual([128, 128, 128]);
    // Σ logvar = Σ_b (features_b · w + bias): ∂/∂bias = B = 2.
    expect(grads[params["logvar_linear.bias"]!.name]!.dataSync()[0]).toBe(2);
    tf.dispose([value, ...Object.values(grads)]);
  });

  it("responds to the label: class 3 and the null label give different F; no label is the null label", () => {
    const both = (l: tf.Tensor | undefined) => net(x, t, l === undefined ? {} : { label: l });
    const a = both(tf.tensor1d([3, 3], "int32"));
    const nullLabel = both(tf.tensor1d([10, 10], "int32"));
    const none = both(undefined);
    // Different embedding rows feed every block: an O(1) relative change, far above float32 noise.
    expect(relativeError(a.F, nullLabel.F)).toBeGreaterThan(1e-2);
    // Absent = the null label: the same computation, bit for bit.
    expect(relativeError(none.F, nullLabel.F)).toBe(0);
    tf.dispose([a, nullLabel, none].flatMap((o) => [o.F, o.logvar]));
  });

  it("draws the same dropout masks from the same Rng and other masks from another", () => {
    const run = (seed: number | undefined) =>
      net(x, t, { dropout: seed === undefined ? undefined : Rng.seeded(seed) }).F;
    const [a, b, c, none] = [run(5), run(5), run(6), run(undefined)];
    expect(relativeError(a, b)).toBe(0); // same stream → same masks → identical numbers
    // Rate 0.1 zeroes ~10% of activations in each block: a clearly different output.
    expect(relativeError(a, c)).toBeGreaterThan(1e-3);
    expect(relativeError(a, none)).toBeGreaterThan(1e-3);
    tf.dispose([a, b, c, none]);
  });

  it("rejects inputs of the wrong shape, dtype or conditioning, naming them", () => {
    const bad = tf.zeros([2, 8, 8, 1]);
    expect(() => net(bad, t)).toThrow(new NetworkInputError("x's shape", "[2, 8, 8, 1]", "[B, 8, 8, 3]"));
    expect(() => net(x, tf.zeros([3]))).toThrow("t's shape is [3]; expected [2].");
    expect(() => net(x, t, { label: tf.zeros([2]) })).toThrow(
      "options.label's dtype is float32; expected int32.",
    );
    expect(() => net(x, t, { guidance: tf.ones([2]) })).toThrow(/options.guidance is given/);
    bad.dispose();
  });
});
