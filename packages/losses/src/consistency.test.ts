import { Rng, randomNormal, type Tensor, tf } from "@scm/backend";
import { add } from "@scm/jvp";
import { leakedTensors } from "@scm/jvp/testing";
import type { NetworkFn } from "@scm/trigflow";
import { lognormalTimes, timeProposalPresets } from "@scm/trigflow";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { describe, expect, it } from "vitest";
import { scdLoss, sctLoss } from "./consistency.js";
import { drawNoisyBatch } from "./noisy-batch.js";
import {
  idealConsistencyNet,
  idealDiffusionNet,
  type LinearTimeModel,
  linearTimeModel,
} from "./testing/index.js";
import type { Loss } from "./types.js";

keepTensorCount(() => tf.memory().numTensors);

const [s, sigmaData] = [0.8, 0.5];
const proposal = timeProposalPresets.cmImagenet64;

/** Per-sample explicit gradients of Alg. 1's loss for F = base + a(t)·y, u = d₀ + d₁t (w_φ = −u). */
function explicitGradients(model: LinearTimeModel, loss: Loss, student: NetworkFn, x0: Tensor, seed: number) {
  return tf.tidy(() => {
    const p = loss(student, { x0 }, { rng: Rng.seeded(seed), step: 0 });
    const { value, grads } = tf.variableGrads(
      () => tf.mean(p.objective().perSample) as tf.Scalar,
      [model.params.c, model.params.d],
    );
    // The same draws again: x_t, hence y = x_t/σ_d.
    const { t, xT } = drawNoisyBatch(Rng.seeded(seed), x0, proposal);
    const [B, D] = [x0.shape[0]!, x0.size / x0.shape[0]!];
    const ts = Array.from(t.dataSync());
    const y = Array.from(tf.div(xT, sigmaData).dataSync());
    const g = Array.from(p.tangent!.dataSync());
    const [c, d] = [Array.from(model.params.c.dataSync()), Array.from(model.params.d.dataSync())];
    const perSample = ts.map((tv, i) => {
      const u = d[0]! + d[1]! * tv;
      const e = Math.exp(-u); // e^{w_φ}
      let gy = 0;
      let gg = 0;
      for (let j = 0; j < D; j++) {
        gy += g[i * D + j]! * y[i * D + j]!;
        gg += g[i * D + j]! ** 2;
      }
      // ∂L/∂c_k = −(e^w/D)·2·gᵀ∂F/∂c_k with ∂F/∂c_k = sin t·cos^k t·y; ∂L/∂u = 1 − e^{−u}‖g‖²/D.
      const dc = c.map((_, k) => -(e / D) * 2 * gy * Math.sin(tv) * Math.cos(tv) ** k);
      const du = 1 - (e * gg) / D;
      return { dc, dd: [du, du * tv], gNorm: Math.sqrt(gg) };
    });
    return {
      sameTimes: tf.max(tf.abs(tf.sub(t, p.t))).dataSync()[0]!,
      value: value.dataSync()[0]!,
      tape: [
        Array.from(grads[model.params.c.name]!.dataSync()),
        Array.from(grads[model.params.d.name]!.dataSync()),
      ],
      perSample,
      B,
    };
  });
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe("sctLoss / scdLoss (Alg. 1)", () => {
  it("has the tape's gradient equal to −(e^w/D)·2gᵀ∂F/∂θ (and ∂/∂u of e^{−u}‖g‖²/D + u)", () => {
    const model = linearTimeModel(3, [0.3, -0.5, 0.2]);
    tf.tidy(() => model.params.d.assign(tf.tensor1d([0.2, -0.3])));
    const x0 = randomNormal(Rng.seeded(1), [16, 3], s);
    for (const loss of [
      sctLoss({ tangentWarmup: 0, dropout: false }), // ∂F/∂c below has no dropout mask
      scdLoss({ teacher: idealDiffusionNet(s, sigmaData), dropout: false }),
    ]) {
      const r = explicitGradients(model, loss, model.net, x0, 9);
      expect(r.sameTimes).toBe(0); // the re-drawn batch is the loss's own
      const explicit = [
        [0, 1, 2].map((k) => mean(r.perSample.map((p) => p.dc[k]!))),
        [0, 1].map((k) => mean(r.perSample.map((p) => p.dd[k]!))),
      ];
      // float32 tape against float64 sums of float32 inputs: relative ~1e-6.
      for (const [i, tape] of r.tape.entries()) {
        tape.forEach((v, k) => {
          expect(Math.abs(v - explicit[i]![k]!)).toBeLessThan(1e-5 * (1 + Math.abs(v)));
        });
      }
    }
    x0.dispose();
    model.dispose();
  });

  it("has the squared term's value equal to ‖g‖², with the dropout masks of both passes equal", () => {
    const model = linearTimeModel(3, [0.3, -0.5, 0.2]); // y is masked (rate 0.2) when dropout is on
    const x0 = randomNormal(Rng.seeded(2), [8, 5], s);
    const [squared, gg] = tf.tidy(() => {
      const loss = sctLoss({ tangentWarmup: 0, adaptiveWeighting: false, dropout: true });
      const p = loss(model.net, { x0 }, { rng: Rng.seeded(3), step: 0 });
      const value = tf.mul(p.objective().perSample, 5); // ‖F_θ − F⁻ − g‖² = D·L without w_φ
      return [Array.from(value.dataSync()), Array.from(tf.sum(tf.square(p.tangent!), 1).dataSync())];
    });
    // F_θ and F⁻ are the same float32 computation, so F_θ − F⁻ = 0 exactly and the squares agree to
    // float32 rounding of the sum (~1e-7 relative).
    squared.forEach((v, i) => {
      expect(v / gg[i]!).toBeCloseTo(1, 6);
    });
    x0.dispose();
    model.dispose();
  });

  it("gives sCT a zero mean gradient at F_cm over 4096 samples while per-sample g is O(1)", () => {
    const model = linearTimeModel(3); // c = 0: the student F_cm + a(t)·y is F_cm
    const base = idealConsistencyNet(s, sigmaData);
    const student: NetworkFn = (y, t, o) => {
      const [b, m] = [base(y, t), model.net(y, t, o)];
      return { F: add(b.F, m.F), logvar: m.logvar };
    };
    const x0 = randomNormal(Rng.seeded(4), [4096, 1], s);
    const loss = sctLoss({ tangentWarmup: 0, dropout: false });
    const zScores = () => {
      const r = explicitGradients(model, loss, student, x0, 11);
      return {
        z: [0, 1, 2].map((k) => {
          const v = r.perSample.map((p) => p.dc[k]!);
          const m = mean(v);
          const sd = Math.sqrt(mean(v.map((x) => (x - m) ** 2)));
          return m / (sd / Math.sqrt(r.B)); // the mean in standard errors
        }),
        gNorm: mean(r.perSample.map((p) => p.gNorm)),
      };
    };
    const atCm = zScores();
    // E[g·x_t | t] = 0 at F_cm (docs/math.md §7): each component within 4 standard errors (fixed seed).
    atCm.z.forEach((z) => {
      expect(Math.abs(z)).toBeLessThan(4);
    });
    expect(atCm.gNorm).toBeGreaterThan(0.1); // per-sample g is not small
    // The check can fail: off F_cm (a(t) = 0.5·sin t added) the mean gradient is many errors from 0.
    tf.tidy(() => model.params.c.assign(tf.tensor1d([0.5, 0, 0])));
    expect(Math.max(...zScores().z.map(Math.abs))).toBeGreaterThan(10);
    x0.dispose();
    model.dispose();
  });

  it("has a discrete-time tangent (App. E) that tends to the continuous one as N grows", () => {
    const model = linearTimeModel(3, [0.3, -0.5, 0.2]);
    const x0 = randomNormal(Rng.seeded(5), [64, 2], s);
    const norms = (time: "continuous" | { steps: number }) =>
      tf.tidy(() => {
        const p = sctLoss({ tangentWarmup: 0, time })(model.net, { x0 }, { rng: Rng.seeded(6), step: 0 });
        return Array.from(p.tangentNorm!.dataSync());
      });
    const exact = norms("continuous");
    const error = (steps: number) =>
      Math.max(...norms({ steps }).map((v, i) => Math.abs(v - exact[i]!))) / mean(exact);
    // N = 2000: Δt ≈ 8e-4, truncation O(Δt) ≈ 1e-3, float32 cancellation 1e-7/Δt ≈ 1e-4.
    expect(error(2000)).toBeLessThan(5e-3);
    expect(error(10)).toBeGreaterThan(2e-2); // and the check can fail: N = 10 is visibly off
    x0.dispose();
    model.dispose();
  });

  it("leaks no tensors over prepare + objective", () => {
    const model = linearTimeModel(3, [0.3, -0.5, 0.2]);
    const x0 = randomNormal(Rng.seeded(5), [4, 2], s);
    const loss = sctLoss({ time: { steps: 10 } });
    const leaked = leakedTensors(() =>
      tf.tidy(() => loss(model.net, { x0 }, { rng: Rng.seeded(1), step: 3 }).objective().perSample),
    );
    expect(leaked).toBe(0);
    x0.dispose();
    model.dispose();
  });

  it("rejects bad options and batches with one-sentence errors", () => {
    expect(() => sctLoss({ time: { steps: 0 } })).toThrow(
      /^time is .*; expected "continuous" or \{ steps: N \}/,
    );
    expect(() => sctLoss({ proposal: "cifar" as "cmCifar10" })).toThrow(
      /^proposal is "cifar"; expected one of cmCifar10/,
    );
    const loss = sctLoss();
    const x = tf.ones([3]);
    expect(() => loss(idealConsistencyNet(s, sigmaData), { x0: x }, { rng: Rng.seeded(0), step: 0 })).toThrow(
      /^batch.x0 is float32 \[3\]; expected a float32 tensor \[B, \.\.\.\] of rank ≥ 2 with B ≥ 1\.$/,
    );
    x.dispose();
    expect(() => sctLoss({ proposal: () => tf.zeros([1]) })).toThrow(
      /^sigmaData is undefined; expected σ_d > 0 beside a proposal function, which carries none\.$/,
    );
    expect(() => sctLoss({ sigmaData: 0 })).toThrow(/^sigmaData is 0; expected σ_d, a finite number > 0\.$/);
  });
});

describe("the time proposal as a function (rng, n) → t", () => {
  it("gives the preset's step bit for bit when it is the preset's lognormal, σ_d passed beside it", () => {
    const x0 = randomNormal(Rng.seeded(4), [3, 2, 2, 1], s);
    const net = idealConsistencyNet(s, sigmaData);
    const { pMean, pStd } = proposal;
    const asFunction = sctLoss({ proposal: lognormalTimes({ pMean, pStd }, sigmaData), sigmaData });
    const bits = (loss: Loss) =>
      tf.tidy(() => {
        const p = loss(net, { x0 }, { rng: Rng.seeded(9), step: 3 });
        return [p.t, p.tangent!, p.objective().perSample].map((x) => Array.from(x.dataSync()));
      });
    expect(bits(asFunction)).toEqual(bits(sctLoss({ proposal })));
    x0.dispose();
  });

  it("draws t only from the function it is given", () => {
    const x0 = randomNormal(Rng.seeded(4), [2, 2], s);
    const fixed = (_rng: Rng, n: number) => tf.fill([n], 0.7);
    const loss = sctLoss({ proposal: fixed, sigmaData });
    const ts = tf.tidy(() => {
      const p = loss(idealConsistencyNet(s, sigmaData), { x0 }, { rng: Rng.seeded(1), step: 0 });
      return Array.from(p.t.dataSync());
    });
    // Float32 0.7, the function's value for every sample.
    expect(ts).toEqual([Math.fround(0.7), Math.fround(0.7)]);
    x0.dispose();
  });
});
