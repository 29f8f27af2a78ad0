import { Rng } from "@scm/backend";
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { slicedWasserstein, wasserstein1dPow } from "./sliced-wasserstein.js";

describe("wasserstein1dPow", () => {
  it("pairs sorted samples of equal size: W_pᵖ = mean |x₍ᵢ₎ − y₍ᵢ₎|ᵖ", () => {
    // sorted x = 0, 1, 3; sorted y = 1, 2, 6: W₁ = (1 + 1 + 3)/3, W₂² = (1 + 1 + 9)/3
    const x = new Float64Array([3, 0, 1]);
    const y = new Float64Array([6, 1, 2]);
    expect(wasserstein1dPow(x, y, 1)).toBeCloseTo(5 / 3, 14);
    expect(wasserstein1dPow(x, y, 2)).toBeCloseTo(11 / 3, 14);
  });

  it("integrates the quantile functions for unequal sizes", () => {
    // x = {0, 1} (quantile 0 on (0, ½), 1 on (½, 1)); y = {0, 0, 3} (0 on (0, ⅔), 3 on (⅔, 1)):
    // |F⁻¹ − G⁻¹| = 0 on (0, ½), 1 on (½, ⅔), 2 on (⅔, 1) → W₁ = 1/6 + 2/3 = 5/6
    expect(wasserstein1dPow(new Float64Array([0, 1]), new Float64Array([0, 0, 3]), 1)).toBeCloseTo(5 / 6, 14);
  });
});

describe("slicedWasserstein", () => {
  it("is the 1-D Wasserstein distance on 1-D data (a shift c gives W_p = |c|)", () => {
    const x = Rng.seeded(1).fillNormal(new Float64Array(100));
    const y = x.map((v) => v - 0.75);
    // one direction (±1) in 1-D; a pure shift keeps the sorted pairing: exact up to rounding
    expect(slicedWasserstein(ndarray(x, [100, 1]), ndarray(y, [100, 1]), { projections: 3 })).toBeCloseTo(
      0.75,
      12,
    );
    expect(
      slicedWasserstein(ndarray(x, [100, 1]), ndarray(y, [100, 1]), { p: 1, projections: 1 }),
    ).toBeCloseTo(0.75, 12);
  });

  it("gives SW₂² = ‖c‖²/D for a translation by c in D dimensions", () => {
    // for y = x + c every projection is a shift by θᵀc, so SW₂² = E(θᵀc)² = ‖c‖²/D exactly in expectation;
    // Monte Carlo over 4000 directions: in 3-D, θᵀc = ‖c‖·u with u uniform on [−1, 1], so (θᵀc)²/‖c‖²
    // has mean 1/3 and std √(1/5 − 1/9) ≈ 0.30: the mean's relative error ≈ 0.89/√4000 ≈ 1.4%
    const n = 50;
    const d = 3;
    const x = Rng.seeded(2).fillNormal(new Float64Array(n * d));
    const c = [1, -2, 2]; // ‖c‖² = 9
    const y = x.map((v, i) => v + c[i % d]!);
    const sw = slicedWasserstein(ndarray(x, [n, d]), ndarray(y, [n, d]), { projections: 4000 });
    expect(Math.abs(sw ** 2 - 3) / 3).toBeLessThan(0.06); // about 4 standard errors
  });

  it("is 0 between a set and a permutation of it", () => {
    const x = Rng.seeded(3).fillNormal(new Float64Array(40));
    const swapped = new Float64Array(40);
    for (let i = 0; i < 20; i++) swapped.set(x.subarray((19 - i) * 2, (19 - i) * 2 + 2), i * 2);
    // the same empirical measure: every projection sorts to the same values
    expect(slicedWasserstein(ndarray(x, [20, 2]), ndarray(swapped, [20, 2]))).toBe(0);
  });
});
