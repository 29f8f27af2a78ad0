import { Rng, randomNormal, tf } from "@scm/backend";
import { mul } from "@scm/jvp";
import type { NetworkFn } from "@scm/trigflow";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { describe, expect, it } from "vitest";
import { guidedVelocity, scdLoss } from "./consistency.js";
import { idealConsistencyNet, idealDiffusionNet, linearTimeModel } from "./testing/index.js";

keepTensorCount(() => tf.memory().numTensors);

const [s, sigmaData] = [0.8, 0.5];

describe("scdLoss", () => {
  it("has g ≈ 0 for every sample at F = F_cm with the ideal teacher F* (docs/math.md §7)", () => {
    const loss = scdLoss({ teacher: idealDiffusionNet(s, sigmaData), tangentWarmup: 0 });
    const zero = linearTimeModel(1);
    const [worst, scale] = tf.tidy(() => {
      const x0 = randomNormal(Rng.seeded(1), [512, 3], s);
      const p = loss(idealConsistencyNet(s, sigmaData), { x0 }, { rng: Rng.seeded(2), step: 0 });
      // The same draws against a wrong student a(t) = 0: g is then O(1).
      const q = loss(zero.net, { x0 }, { rng: Rng.seeded(2), step: 0 });
      return [tf.max(p.tangentNorm!).dataSync()[0]!, tf.min(q.tangentNorm!).dataSync()[0]!];
    });
    zero.dispose();
    // g is a sum of O(‖x_t‖) float32 terms that cancel: ~1e-7·‖x_t‖ (‖x_t‖ ≲ 3 here); 1e-5 leaves room.
    expect(worst).toBeLessThan(1e-5);
    expect(scale).toBeGreaterThan(1e-3); // the check can fail: away from F_cm, g is not small
  });

  it("feeds the guidance s ~ U[1, s_max] to the student and uses σ_d·(F_u + s·(F_c − F_u)) as dxdt", () => {
    // Teacher F = label (as a float) everywhere: F_c = label, F_u = 10 (the null label).
    const teacher: NetworkFn = (y, t, o) => ({
      F: tf.tidy(() => tf.mul(tf.onesLike(y), tf.reshape(tf.cast(o!.label!, "float32"), [-1, 1]))),
      logvar: tf.zerosLike(t),
    });
    let guidance: number[] = [];
    // Student F = 0: J = 0, and with r = 0 (step 0 of a warmup) and no normalisation g = cos²t·dxdt.
    const student: NetworkFn = (y, t, o) => {
      if (o?.guidance !== undefined) guidance = Array.from(o.guidance.dataSync());
      return { F: mul(y, 0), logvar: tf.zeros([t.shape[0]!]) }; // jvp ops: y carries a tangent
    };
    const loss = scdLoss({
      teacher,
      guidance: { sMax: 2, nullLabel: 10 },
      normalization: "none",
      tangentWarmup: 100,
    });
    const [t, norms] = tf.tidy(() => {
      const x0 = tf.ones([4, 1]);
      const label = tf.tensor1d([2, 3, 4, 5], "int32");
      const p = loss(student, { x0, label }, { rng: Rng.seeded(5), step: 0 });
      return [Array.from(p.t.dataSync()), Array.from(p.tangentNorm!.dataSync())];
    });
    expect(guidance.every((v) => v >= 1 && v < 2)).toBe(true);
    expect(new Set(guidance).size).toBe(4);
    for (let i = 0; i < 4; i++) {
      const dxdt = sigmaData * (10 + guidance[i]! * (2 + i - 10)); // σ_d·(F_u + s·(F_c − F_u))
      // |g| = cos²t·|dxdt| (D = 1), float32: relative ~1e-7.
      expect(norms[i]! / (Math.cos(t[i]!) ** 2 * Math.abs(dxdt))).toBeCloseTo(1, 5);
    }
  });

  it("rejects s_max < 1 and guidance without labels", () => {
    const teacher = idealDiffusionNet(s, sigmaData);
    expect(() => scdLoss({ teacher, guidance: { sMax: 0.5, nullLabel: 10 } })).toThrow(
      /^guidance.sMax is 0.5; expected a finite number ≥ 1\.$/,
    );
    const loss = scdLoss({ teacher, guidance: { sMax: 2, nullLabel: 10 } });
    const x0 = tf.ones([2, 1]);
    expect(() => tf.tidy(() => void loss(teacher, { x0 }, { rng: Rng.seeded(0), step: 0 }))).toThrow(
      /^batch.label is absent; expected class labels int32 \[B\] for sCD with guidance\.$/,
    );
    x0.dispose();
  });
});

describe("guidedVelocity", () => {
  it("is σ_d·(F_u + s·(F_c − F_u)) per sample (hand-computed)", () => {
    const [Fc, Fu, sc] = [tf.tensor2d([[1, 2]]), tf.tensor2d([[0, 1]]), tf.tensor1d([1.5])];
    const v = guidedVelocity(Fc, Fu, sc, 0.5); // 0.5·([0, 1] + 1.5·[1, 1]) = [0.75, 1.25]
    expect(Array.from(v.dataSync())).toEqual([0.75, 1.25]); // exact in binary
    tf.dispose([Fc, Fu, sc, v]);
  });
});
