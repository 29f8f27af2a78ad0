import { Rng, randomNormal, tf } from "@scm/backend";
import { mul } from "@scm/jvp";
import { leakedTensors } from "@scm/jvp/testing";
import type { NetworkFn } from "@scm/trigflow";
import { timeProposalPresets, velocityTarget } from "@scm/trigflow";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { describe, expect, it } from "vitest";
import { diffusionLoss } from "./diffusion.js";
import { dropLabels } from "./label-dropout.js";
import { drawNoisyBatch } from "./noisy-batch.js";

keepTensorCount(() => tf.memory().numTensors);

describe("diffusionLoss", () => {
  it("is e^{−u}·‖σ_d F − v_t‖²/D + u per sample (Eq. 4 with EDM2's weighting), against the same draws", () => {
    // F = 0.5·y, u = 0.25 everywhere.
    const net: NetworkFn = (y, t) => ({ F: mul(y, 0.5), logvar: tf.fill([t.shape[0]!], 0.25) });
    const x0 = randomNormal(Rng.seeded(1), [6, 3], 0.8);
    const [actual, expected] = tf.tidy(() => {
      const p = diffusionLoss({ dropout: false })(net, { x0 }, { rng: Rng.seeded(2), step: 0 });
      const perSample = p.objective().perSample;
      const { t, z, xT } = drawNoisyBatch(Rng.seeded(2), x0, timeProposalPresets.teacherImagenet64);
      const v = velocityTarget(x0, z, t);
      const mse = tf.mean(tf.square(tf.sub(tf.mul(tf.mul(tf.div(xT, 0.5), 0.5), 0.5), v)), 1);
      return [
        Array.from(perSample.dataSync()),
        Array.from(tf.add(tf.mul(mse, Math.exp(-0.25)), 0.25).dataSync()),
      ];
    });
    actual.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 6);
    }); // float32 of O(1) terms
    x0.dispose();
  });

  it("drops labels to the null label at the given rate and passes them to the network", () => {
    let seen: number[] = [];
    const net: NetworkFn = (y, t, o) => {
      seen = Array.from(o!.label!.dataSync());
      return { F: mul(y, 0), logvar: tf.zeros([t.shape[0]!]) };
    };
    const n = 10_000;
    const x0 = tf.zeros([n, 1]);
    const label = tf.fill([n], 3, "int32");
    tf.tidy(() => {
      diffusionLoss({ labelDropout: { rate: 0.1, nullLabel: 10 } })(
        net,
        { x0, label },
        { rng: Rng.seeded(3), step: 0 },
      ).objective();
    });
    const dropped = seen.filter((v) => v === 10).length / n;
    expect(seen.every((v) => v === 10 || v === 3)).toBe(true);
    expect(Math.abs(dropped - 0.1)).toBeLessThan(0.012); // 4 standard errors: 4·√(0.09/10⁴) = 0.012
    tf.dispose([x0, label]);
  });

  it("leaks no tensors", () => {
    const net: NetworkFn = (y, t) => ({ F: mul(y, 0.5), logvar: tf.zeros([t.shape[0]!]) });
    const x0 = tf.ones([2, 2]);
    const label = tf.tensor1d([1, 2], "int32");
    const loss = diffusionLoss({ labelDropout: { rate: 0.5, nullLabel: 10 } });
    expect(
      leakedTensors(() =>
        tf.tidy(() => loss(net, { x0, label }, { rng: Rng.seeded(0), step: 0 }).objective().perSample),
      ),
    ).toBe(0);
    tf.dispose([x0, label]);
  });
});

describe("dropLabels", () => {
  it("keeps every label at rate 0 and rejects a rate of 1", () => {
    const label = tf.tensor1d([1, 2, 3], "int32");
    const kept = dropLabels(Rng.seeded(0), label, { rate: 0, nullLabel: 10 });
    expect(Array.from(kept.dataSync())).toEqual([1, 2, 3]);
    expect(() => diffusionLoss({ labelDropout: { rate: 1, nullLabel: 10 } })).toThrow(
      /^labelDropout.rate is 1; expected a number in \[0, 1\)\.$/,
    );
    tf.dispose([label, kept]);
  });
});
