import { Rng, tf } from "@scm/backend";
import { type NetworkFn, sampleNoise, tMax } from "@scm/trigflow";
import { gaussianOracle } from "@scm/trigflow/testing";
import { describe, expect, it } from "vitest";
import { consistencyIntermediateTimes, generate, odeSteps } from "./generate.js";

// The ideal consistency model of N(0, 0.8²) data at σ_d = 0.5 (scm-math §7), as a NetworkFn.
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
