import { Rng, tf } from "@scm/backend";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { describe, expect, it } from "vitest";
import { lognormalTimes, sampleTime, timeProposalPresets } from "./proposal.js";
import { sampleMean, sampleStd } from "./testing/stats.js";

keepTensorCount(() => tf.memory().numTensors);

describe("sampleTime", () => {
  it.each(Object.entries(timeProposalPresets))(
    "gives log(σ_d·tan t) the requested mean and std (%s)",
    (_name, proposal) => {
      const n = 20_000;
      const t = sampleTime(Rng.seeded(42), n, proposal);
      const values = t.dataSync();
      t.dispose();
      // τ = log(σ_d·tan t) inverts t = arctan(e^τ/σ_d) (§4); computed in float64 from float32 t.
      const tau = Array.from(values, (v) => Math.log(proposal.sigmaData * Math.tan(v)));
      // Standard errors: P_std/√n for the mean (≤ 0.0113), P_std/√(2n) for the std (≤ 0.008);
      // 4 standard errors is a deterministic seed's margin, well below the presets' differences.
      expect(Math.abs(sampleMean(tau) - proposal.pMean)).toBeLessThan((4 * proposal.pStd) / Math.sqrt(n));
      expect(Math.abs(sampleStd(tau) - proposal.pStd)).toBeLessThan((4 * proposal.pStd) / Math.sqrt(2 * n));
      expect(Math.min(...values)).toBeGreaterThan(0);
      expect(Math.max(...values)).toBeLessThanOrEqual(Math.fround(Math.PI / 2));
    },
  );

  it("holds the paper's presets (docs/math.md §1)", () => {
    const rows = Object.values(timeProposalPresets).map((p) => [p.pMean, p.pStd, p.sigmaData]);
    expect(rows).toEqual([
      [-1.0, 1.4, 0.5],
      [-1.0, 1.6, 0.5],
      [-0.8, 1.6, 0.5],
      [-0.8, 1.6, 0.5],
      [-0.4, 1.0, 0.5],
    ]);
  });

  it("draws the same times from the same seed and advances the stream", () => {
    const rng = Rng.seeded(3);
    const [a, b] = [
      sampleTime(rng, 5, timeProposalPresets.cmCifar10),
      sampleTime(rng, 5, timeProposalPresets.cmCifar10),
    ];
    const again = sampleTime(Rng.seeded(3), 5, timeProposalPresets.cmCifar10);
    expect(Array.from(again.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(b.dataSync())).not.toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b, again]);
  });

  it("rejects P_std ≤ 0, σ_d ≤ 0, NaN P_mean and a bad count", () => {
    const rng = Rng.seeded(0);
    const base = timeProposalPresets.cmCifar10;
    expect(() => sampleTime(rng, 4, { ...base, pStd: 0 })).toThrow(
      /^pStd is 0; expected a finite number > 0\.$/,
    );
    expect(() => sampleTime(rng, 4, { ...base, sigmaData: -1 })).toThrow(/^sigmaData is -1; expected/);
    expect(() => sampleTime(rng, 4, { ...base, pMean: Number.NaN })).toThrow(
      /^pMean is NaN; expected a finite number\.$/,
    );
    expect(() => sampleTime(rng, 2.5, base)).toThrow(/^n is 2.5; expected an integer ≥ 1\.$/);
  });
});

describe("lognormalTimes", () => {
  it("is sampleTime as a (rng, n) → t function, with σ_d passed apart from P_mean and P_std", () => {
    const { pMean, pStd } = timeProposalPresets.cmImagenet64;
    const times = lognormalTimes({ pMean, pStd }, 0.5);
    const [a, b] = [times(Rng.seeded(7), 6), sampleTime(Rng.seeded(7), 6, timeProposalPresets.cmImagenet64)];
    // The same ops on the same draws: the same bits.
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    // Another σ_d, the same τ (§4: σ_d·tan t = e^τ): σ_d·tan t agrees to float32 rounding (~1e-6).
    const c = lognormalTimes({ pMean, pStd }, 2)(Rng.seeded(7), 6);
    const [ta, tc] = [Array.from(a.dataSync()), Array.from(c.dataSync())];
    for (const [i, t] of ta.entries()) expect((2 * Math.tan(tc[i]!)) / (0.5 * Math.tan(t))).toBeCloseTo(1, 5);
    tf.dispose([a, b, c]);
  });

  it("rejects a bad σ_d when the proposal is made, and a bad count when it is drawn", () => {
    expect(() => lognormalTimes({ pMean: 0, pStd: 1 }, 0)).toThrow(/^sigmaData is 0; expected/);
    expect(() => lognormalTimes({ pMean: 0, pStd: 1 }, 0.5)(Rng.seeded(0), 0)).toThrow(/^n is 0; expected/);
  });
});
