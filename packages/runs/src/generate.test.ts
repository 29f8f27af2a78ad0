import { Rng, type Tensor, tf } from "@scm/backend";
import { countReads } from "@scm/backend/testing/count-reads";
import {
  consistencyTimes,
  edmTimeGrid,
  type NetworkFn,
  type SamplerName,
  sampleNoise,
  samplers,
  tMax,
} from "@scm/trigflow";
import { gaussianOracle } from "@scm/trigflow/testing";
import { describe, expect, it } from "vitest";
import {
  classRows,
  consistencyIntermediateTimes,
  type GenerateOptions,
  generate,
  odeSteps,
} from "./generate.js";

// The ideal consistency model of N(0, 0.8²) data at σ_d = 0.5 (docs/math.md §7), as a NetworkFn.
const oracle = gaussianOracle(0.8, 0.5);
const net: NetworkFn = (x, t) => ({ F: oracle.consistencyVelocity(x, t), logvar: tf.zerosLike(t) });

describe("generate", () => {
  it("gives the exact one-step map of the Gaussian oracle, batch by batch, leaking nothing", () => {
    const before = tf.memory().numTensors;
    const x = generate(net, {
      method: { kind: "consistency", steps: 1 },
      n: 5,
      sampleShape: [3],
      sigmaData: 0.5,
      seed: 4,
      batchSize: 2,
    });
    expect(tf.memory().numTensors).toBe(before + 1);
    // f(z, t_max) = s·z/√V(t_max) exactly (§7), z the seed's per-sample noise.
    const z = sampleNoise(Rng.seeded(4), 5, [3], 0.5);
    const expected = tf.mul(z, 0.8 / Math.sqrt(oracle.variance(tMax(80, 0.5))));
    const err = tf.max(tf.abs(tf.sub(x, expected))).dataSync()[0]!;
    expect(err).toBeLessThan(1e-5); // float32 rounding of a few ops on O(1) values
    tf.dispose([x, z, expected]);
  });

  it("cycles labels through the classes and rejects a class out of range", () => {
    const seen: number[][] = [];
    const labelled: NetworkFn = (x, t, o) => {
      seen.push(Array.from(o!.label!.dataSync()));
      return { F: tf.zerosLike(x), logvar: tf.zerosLike(t) };
    };
    const common = {
      method: { kind: "consistency", steps: 1 } as const,
      sampleShape: [2],
      sigmaData: 0.5,
      numClasses: 3,
    };
    tf.dispose(generate(labelled, { ...common, n: 5, label: "cycle", batchSize: 4 }));
    expect(seen).toEqual([[0, 1, 2, 0], [1]]);
    expect(() => generate(labelled, { ...common, n: 1, label: 4 })).toThrow(
      "The class is 4; expected an integer in [0, 3] (3 = unconditional).",
    );
    // one label per sample, across batches: a grid with one row per class
    seen.length = 0;
    expect(classRows(3, 2)).toEqual([0, 0, 1, 1, 2, 2]);
    tf.dispose(generate(labelled, { ...common, n: 6, label: classRows(3, 2), batchSize: 4 }));
    expect(seen).toEqual([
      [0, 0, 1, 1],
      [2, 2],
    ]);
    expect(() => generate(labelled, { ...common, n: 5, label: classRows(3, 2) })).toThrow(
      "6 labels were given for 5 samples; expected one per sample.",
    );
    expect(() => generate(labelled, { ...common, n: 2, label: [0, 7] })).toThrow("The class is 7;");
  });
});

describe("generate's device reads", () => {
  // A nonlinear network that reads nothing (the oracle checks its t, a read): F = tanh(x + sin t).
  const plain: NetworkFn = (x, t) => ({
    F: tf.tanh(tf.add(x, tf.reshape(tf.sin(t), [-1, 1, 1, 1]))),
    logvar: tf.zerosLike(t),
  });
  const bits = (x: Tensor) => Array.from(new Uint32Array(new Float32Array(x.dataSync()).buffer));
  const methods: [string, GenerateOptions["method"], SamplerName, number[]][] = [
    ["consistency, 1 step", { kind: "consistency", steps: 1 }, "consistency", consistencyTimes(1, 0.5)],
    ["consistency, 2 steps", { kind: "consistency", steps: 2 }, "consistency", consistencyTimes([1.1], 0.5)],
    [
      "consistency, 3 steps",
      { kind: "consistency", steps: 3 },
      "consistency",
      consistencyTimes(consistencyIntermediateTimes(3), 0.5),
    ],
    ["heun, NFE 7", { kind: "ode", sampler: "heun", nfe: 7 }, "heun", edmTimeGrid(4, 0.5)],
    ["dpm2, NFE 7", { kind: "ode", sampler: "dpm2", nfe: 7 }, "dpm2", edmTimeGrid(4, 0.5)],
    ["ddim, NFE 4", { kind: "ode", sampler: "ddim", nfe: 4 }, "ddim", edmTimeGrid(4, 0.5)],
  ];

  it.each(methods)("reads nothing and gives the checked sampler's bits (%s)", (_, method, name, ts) => {
    const {
      value: x,
      sync,
      async,
    } = countReads(() => generate(plain, { method, n: 3, sampleShape: [2, 2, 1], sigmaData: 0.5, seed: 6 }));
    expect([sync, async]).toEqual([0, 0]);
    // The checked path by hand: the seed's noise for samples 0..2, the sampler that checks it (one read).
    const rng = Rng.seeded(6);
    const z = sampleNoise(rng, 3, [2, 2, 1], 0.5);
    const velocity = (y: Tensor, t: Tensor) => tf.tidy(() => plain(y, t).F);
    const checked = samplers[name](velocity, z, ts, { sigmaData: 0.5, rng, first: 0 });
    expect(bits(x)).toEqual(bits(checked.x0)); // exact: the same kernels in the same order
    tf.dispose([x, z, checked.x0]);
  });
});

describe("consistencyIntermediateTimes", () => {
  it("is empty for one step, t_mid = 1.1 for two, evenly spaced from t_mid for more", () => {
    expect(consistencyIntermediateTimes(1)).toEqual([]);
    expect(consistencyIntermediateTimes(2)).toEqual([1.1]);
    const three = consistencyIntermediateTimes(3);
    expect(three[0]).toBeCloseTo(1.1, 12);
    expect(three[1]).toBeCloseTo(0.55, 12);
  });
});

describe("odeSteps", () => {
  it("inverts NFE = 2N − 1 for Heun/DPM-2 and NFE = N for DDIM", () => {
    expect(odeSteps("heun", 35)).toBe(18);
    expect(odeSteps("dpm2", 1)).toBe(1);
    expect(odeSteps("ddim", 10)).toBe(10);
    expect(() => odeSteps("heun", 10)).toThrow(/odd integer/);
  });
});
