import { tf } from "@scm/backend";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { describe, expect, it } from "vitest";
import { consistencyTangent, normalizeTangent, perSampleNorm, tangentWarmup } from "./consistency.js";

keepTensorCount(() => tf.memory().numTensors);

describe("tangentWarmup", () => {
  it("is r = min(1, step/H), and 1 with no warmup", () => {
    expect(tangentWarmup(0, 10)).toBe(0);
    expect(tangentWarmup(5, 10)).toBe(0.5);
    expect(tangentWarmup(20, 10)).toBe(1);
    expect(tangentWarmup(7, 0)).toBe(1);
  });

  it("rejects a negative H and a fractional step", () => {
    expect(() => tangentWarmup(0, -1)).toThrow(/^tangentWarmup is -1; expected an integer number/);
    expect(() => tangentWarmup(0.5, 10)).toThrow(/^step is 0.5; expected an integer ≥ 0\.$/);
  });
});

describe("consistencyTangent", () => {
  it("matches Alg. 1's g computed by hand at t = π/4", () => {
    // cos²t = cos t·sin t = 1/2, σ_d = 0.5, r = 0.5:
    // −cos²t·(σ_d F − dxdt) = −0.5·([0.1, −0.2] − [0.5, −1]) = [0.2, −0.4]
    // cos t sin t·x_t + σ_d J = [0.5, 1] + [0.05, 0.15] = [0.55, 1.15]; g = [0.2 − 0.275, −0.4 − 0.575]
    const [xT, t, F, J, dxdt] = [
      tf.tensor2d([[1, 2]]),
      tf.tensor1d([Math.PI / 4]),
      tf.tensor2d([[0.2, -0.4]]),
      tf.tensor2d([[0.1, 0.3]]),
      tf.tensor2d([[0.5, -1]]),
    ];
    const g = consistencyTangent({ xT, t, F, J, dxdt, sigmaData: 0.5, warmup: 0.5 });
    const [g0, g1] = g.dataSync();
    expect(g0).toBeCloseTo(-0.075, 6); // float32 of O(1) terms: ~1e-7
    expect(g1).toBeCloseTo(-0.975, 6);
    tf.dispose([xT, t, F, J, dxdt, g]);
  });
});

describe("normalizeTangent", () => {
  it("divides by ‖g‖₂ + c (l2), ‖g‖/√D + c (rms), clips to [−1, 1] (clip) or copies (none)", () => {
    const g = tf.tensor2d([
      [3, 4],
      [-2, 0.5],
    ]);
    const [l2Tensor, rmsTensor] = [normalizeTangent(g, "l2", 0.1), normalizeTangent(g, "rms", 0.1)];
    const l2 = l2Tensor.dataSync(); // ‖[3, 4]‖ = 5; ‖[−2, 0.5]‖ = √4.25
    const n2 = Math.sqrt(4.25);
    const expectL2 = [3 / 5.1, 4 / 5.1, -2 / (n2 + 0.1), 0.5 / (n2 + 0.1)];
    const rms = rmsTensor.dataSync();
    const expectRms = [3, 4]
      .map((v) => v / (5 / Math.SQRT2 + 0.1))
      .concat([-2, 0.5].map((v) => v / (n2 / Math.SQRT2 + 0.1)));
    // float32 division of O(1) numbers: relative 1e-7; 6 decimals is ten times that.
    Array.from(l2).forEach((v, i) => {
      expect(v).toBeCloseTo(expectL2[i]!, 6);
    });
    Array.from(rms).forEach((v, i) => {
      expect(v).toBeCloseTo(expectRms[i]!, 6);
    });
    const clip = normalizeTangent(g, "clip");
    const none = normalizeTangent(g, "none");
    expect(Array.from(clip.dataSync())).toEqual([1, 1, -1, 0.5]);
    expect(Array.from(none.dataSync())).toEqual([3, 4, -2, 0.5]);
    const norms = perSampleNorm(g);
    expect(norms.dataSync()[0]).toBe(5); // √25 is exact in float32
    tf.dispose([g, clip, none, norms, l2Tensor, rmsTensor]);
  });

  it("rejects an unknown mode and c ≤ 0", () => {
    const g = tf.zeros([1, 1]);
    expect(() => normalizeTangent(g, "max" as "l2")).toThrow(
      /^normalization is "max"; expected one of l2, rms, clip, none\.$/,
    );
    expect(() => normalizeTangent(g, "l2", 0)).toThrow(
      /^normalizationConstant is 0; expected a finite number > 0\.$/,
    );
    g.dispose();
  });
});
