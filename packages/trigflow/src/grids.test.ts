import { describe, expect, it } from "vitest";
import { sigmaToT, tMax } from "./convert.js";
import { TrigflowRangeError } from "./errors.js";
import { checkGrid, consistencyTimes, edmSigmaGrid, edmTimeGrid, samplingDefaults } from "./grids.js";

describe("edmSigmaGrid", () => {
  it("runs from σ_max = 80 to σ_min = 0.002 with σ^{1/ρ} evenly spaced, then 0 (§4 sampling)", () => {
    const sigmas = edmSigmaGrid(18);
    expect(sigmas).toHaveLength(19);
    expect(sigmas[0]).toBeCloseTo(80, 12);
    expect(sigmas[17]).toBeCloseTo(0.002, 15);
    expect(sigmas[18]).toBe(0);
    // σ_i^{1/7} is linear in i: every second difference vanishes (float64, values of order 1).
    const roots = sigmas.slice(0, 18).map((s) => s ** (1 / 7));
    for (let i = 1; i < 17; i++) expect(roots[i + 1]! - 2 * roots[i]! + roots[i - 1]!).toBeCloseTo(0, 13);
  });

  it("gives [σ_max, 0] for one step and rejects bad settings", () => {
    expect(edmSigmaGrid(1)).toEqual([80, 0]);
    expect(() => edmSigmaGrid(0)).toThrow(/^steps is 0; expected an integer ≥ 1\.$/);
    expect(() => edmSigmaGrid(5, { sigmaMin: 100 })).toThrow(
      /^sigmaMax is 80; expected a finite number > sigmaMin \(100\)\.$/,
    );
    expect(() => edmSigmaGrid(5, { rho: 0 })).toThrow(TrigflowRangeError);
  });
});

describe("edmTimeGrid", () => {
  it("maps each σ_i to t_i = arctan(σ_i/σ_d), starting at t_max and ending at 0 (Eq. 30)", () => {
    const ts = edmTimeGrid(18, 0.5);
    const sigmas = edmSigmaGrid(18);
    expect(ts).toEqual(sigmas.map((s) => Math.atan(s / 0.5)));
    expect(ts[0]).toBeCloseTo(tMax(80, 0.5), 12);
    expect(ts[18]).toBe(0);
    expect(checkGrid(ts)).toBe(ts);
  });
});

describe("consistencyTimes", () => {
  it("is [t_max, 0], [t_max, 1.1, 0] or [t_max, ...times, 0] (§4 sampling)", () => {
    const t0 = Math.atan(80 / 0.5);
    expect(consistencyTimes(1, 0.5)).toEqual([t0, 0]);
    expect(consistencyTimes(2, 0.5)).toEqual([t0, 1.1, 0]);
    expect(consistencyTimes([1.3, 0.8, 0.2], 0.5)).toEqual([t0, 1.3, 0.8, 0.2, 0]);
    expect(consistencyTimes(1, 0.5, { sigmaMax: 0.5 })).toEqual([Math.PI / 4, 0]);
    expect(samplingDefaults.tMid).toBe(1.1);
    expect(sigmaToT(samplingDefaults.sigmaMax, 0.5)).toBe(t0);
  });

  it("rejects other step counts and unordered times", () => {
    expect(() => consistencyTimes(3 as 2, 0.5)).toThrow(
      /^steps is 3; expected 1, 2 or an array of intermediate times\.$/,
    );
    expect(() => consistencyTimes([0.5, 1.1], 0.5)).toThrow(TrigflowRangeError);
  });
});

describe("checkGrid", () => {
  it("rejects grids that are short, increasing, outside [0, π/2] or not ending at 0", () => {
    const message =
      /^ts is \[.*\]; expected at least two strictly decreasing times in \[0, π\/2\] ending at 0\.$/;
    expect(() => checkGrid([1])).toThrow(message);
    expect(() => checkGrid([1, 1, 0])).toThrow(message);
    expect(() => checkGrid([2, 1, 0])).toThrow(message);
    expect(() => checkGrid([1.5, 0.5])).toThrow(message);
    expect(() => checkGrid([1.5, Number.NaN, 0])).toThrow(message);
    expect(checkGrid([Math.PI / 2, 0])).toEqual([Math.PI / 2, 0]);
  });
});
