import { tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { emaBeta, gammaToSigmaRel, sigmaRelToGamma, updateEma } from "./ema.js";
import { learningRateAt } from "./schedule.js";

describe("sigmaRelToGamma", () => {
  it("inverts σ_rel(γ) and gives EDM2's γ = 16.97 for σ_rel 0.05 and 6.94 for 0.10", () => {
    for (const g of [0.5, 6.94, 16.97, 100]) expect(sigmaRelToGamma(gammaToSigmaRel(g))).toBeCloseTo(g, 9);
    expect(sigmaRelToGamma(0.05)).toBeCloseTo(16.97, 2); // EDM2 (Karras et al. 2024), §3.1
    expect(sigmaRelToGamma(0.1)).toBeCloseTo(6.94, 2);
    expect(() => sigmaRelToGamma(0.3)).toThrow(/^sigmaRel is 0.3; expected a number in \(0, 0.2887\)/);
  });
});

describe("emaBeta", () => {
  it("is 0.5^(B/h) for a half-life, ramped by images·ratio, and (1 − B/t)^(γ+1) for the power EMA", () => {
    expect(emaBeta({ kind: "halfLife", halfLifeImages: 500_000 }, 0, 512)).toBeCloseTo(
      0.5 ** (512 / 500_000),
      15,
    );
    // Ramp-up 0.05 at 10⁴ images: h = min(5·10⁵, 500) = 500.
    expect(emaBeta({ kind: "halfLife", halfLifeImages: 500_000, rampupRatio: 0.05 }, 10_000, 500)).toBe(0.5);
    const power = { kind: "power", sigmaRel: 0.05 } as const;
    expect(emaBeta(power, 0, 8)).toBe(0); // the first step copies θ
    expect(emaBeta(power, 8, 8)).toBeCloseTo(0.5 ** (sigmaRelToGamma(0.05) + 1), 15);
  });
});

describe("updateEma", () => {
  it("moves ema to β·ema + (1 − β)·θ", () => {
    const [e, p] = [tf.tidy(() => tf.variable(tf.tensor1d([0, 8]), false)), tf.tensor1d([4, 0])];
    tf.tidy(() => updateEma({ w: e }, { w: p }, 0.25));
    expect(Array.from(e.dataSync())).toEqual([3, 2]); // 0.25·[0, 8] + 0.75·[4, 0]
    tf.dispose([e, p]);
  });
});

describe("learningRateAt", () => {
  it("is constant, or α_ref/√max(step/t_ref, 1)", () => {
    expect(learningRateAt(1e-4, 123)).toBe(1e-4);
    expect(learningRateAt({ kind: "constant", lr: 2e-4 }, 5)).toBe(2e-4);
    const isqrt = { kind: "inverseSqrt", alphaRef: 1, tRef: 100 } as const;
    expect(learningRateAt(isqrt, 50)).toBe(1);
    expect(learningRateAt(isqrt, 400)).toBe(0.5);
  });
});
