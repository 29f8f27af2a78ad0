// Sampling time grids (§4 sampling): EDM's ρ-schedule of σ mapped to TrigFlow time, and the
// consistency sampler's times t_max (1 step) and t_mid = 1.1 (2 steps). Every grid ends at t = 0.
import { sigmaToT, tMax } from "./convert.js";
import { TrigflowRangeError } from "./errors.js";
import { checkCount, checkNumber, checkPositive, checkSigmaData, inInterval } from "./validate.js";

/** The paper's sampling constants: EDM's σ_min, σ_max, ρ and the 2-step t_mid (§4 sampling). */
export const samplingDefaults = {
  sigmaMin: 0.002,
  sigmaMax: 80,
  rho: 7,
  tMid: 1.1,
} as const;

/** Options of the EDM grid: σ_min, σ_max, ρ (defaults 0.002, 80, 7). */
export interface EdmGridOptions {
  readonly sigmaMin?: number;
  readonly sigmaMax?: number;
  readonly rho?: number;
}

/**
 * EDM's noise levels σ_i = (σ_max^{1/ρ} + i/(N−1)·(σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ, i = 0…N−1, then
 * σ_N = 0 (Karras et al. 2022, Eq. 5; §4 sampling); N + 1 numbers, decreasing.
 */
export function edmSigmaGrid(steps: number, options: EdmGridOptions = {}): number[] {
  const { sigmaMin, sigmaMax, rho } = { ...samplingDefaults, ...options };
  checkCount(steps, "steps");
  checkPositive(sigmaMin, "sigmaMin");
  checkPositive(rho, "rho");
  checkNumber(
    sigmaMax,
    "sigmaMax",
    (v) => Number.isFinite(v) && v > sigmaMin,
    `a finite number > sigmaMin (${sigmaMin})`,
  );
  const hi = sigmaMax ** (1 / rho);
  const lo = sigmaMin ** (1 / rho);
  const sigmas = Array.from(
    { length: steps },
    (_, i) => (hi + (steps === 1 ? 0 : i / (steps - 1)) * (lo - hi)) ** rho,
  );
  return [...sigmas, 0];
}

/** The EDM grid in TrigFlow time, t_i = arctan(σ_i/σ_d) (Eq. 30), ending at t_N = 0; N + 1 numbers. */
export function edmTimeGrid(steps: number, sigmaData: number, options: EdmGridOptions = {}): number[] {
  checkSigmaData(sigmaData);
  return edmSigmaGrid(steps, options).map((sigma) => sigmaToT(sigma, sigmaData));
}

/** Options of `consistencyTimes`. */
export interface ConsistencyTimesOptions {
  /** σ_max of t_max = arctan(σ_max/σ_d) (default 80). */
  readonly sigmaMax?: number;
  /** The middle time of the 2-step sampler (default 1.1). */
  readonly tMid?: number;
}

/**
 * The consistency sampler's grid (§4 sampling): 1 step → [t_max, 0]; 2 steps → [t_max, t_mid = 1.1, 0];
 * an array of intermediate times → [t_max, ...times, 0]; t_max = arctan(σ_max/σ_d).
 */
export function consistencyTimes(
  steps: 1 | 2 | readonly number[],
  sigmaData: number,
  options: ConsistencyTimesOptions = {},
): number[] {
  const { sigmaMax, tMid } = { ...samplingDefaults, ...options };
  const start = tMax(sigmaMax, sigmaData);
  if (steps === 1) return [start, 0];
  if (steps === 2) return checkGrid([start, tMid, 0], "the 2-step grid");
  if (Array.isArray(steps)) return checkGrid([start, ...steps, 0], "the grid [t_max, ...times, 0]");
  throw new TrigflowRangeError("steps", steps, "1, 2 or an array of intermediate times");
}

/**
 * Checks a sampling grid: at least two times, strictly decreasing, in [0, π/2], ending at 0. Returns
 * the grid.
 */
export function checkGrid<T extends readonly number[]>(ts: T, name = "ts"): T {
  const ok =
    Array.isArray(ts) &&
    ts.length >= 2 &&
    ts.every((v, i) => typeof v === "number" && inInterval(v, "[0, π/2]") && (i === 0 || v < ts[i - 1]!)) &&
    ts[ts.length - 1] === 0;
  if (!ok)
    throw new TrigflowRangeError(name, ts, "at least two strictly decreasing times in [0, π/2] ending at 0");
  return ts;
}
