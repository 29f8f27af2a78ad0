// The loop every sampler shares: checks, one `tf.tidy` per step, NFE counting, `onStep`, and the
// disposal of each intermediate state. A sampler only supplies the rule for one step.
// Checks at the edge: σ_d, the grid and the noise's shape are numbers (no read); the noise's NaN check
// reads the device once per call, and is skipped for noise `sampleNoise` drew (finite by
// construction), so `generate`, which draws its own, reads nothing. Inside the loop nothing is read:
// the rules and the denoised estimate call the parameterisation's unchecked twins on the sampler's own
// intermediates (network outputs, its own re-noising draws), which are not the caller's input.
import { type Tensor, tf } from "@scm/backend";
import { checkGrid } from "../grids.js";
import { consistencyFunctionUnchecked } from "../parameterization.js";
import { checkBatched, checkFiniteTensor, checkSameShape, checkSigmaData } from "../validate.js";
import { isSampledNoise, requireRng, sampleNoise } from "./noise.js";
import type { SampleResult, Sampler, SamplerOptions, VelocityFn } from "./types.js";

/** One step of a sampler, from x at `t` to x at `tNext`; runs inside `tf.tidy`. */
export interface StepContext {
  /** The state at `t` [B, ...]. */
  readonly x: Tensor;
  readonly t: number;
  readonly tNext: number;
  /** The step's index, from 0. */
  readonly step: number;
  readonly sigmaData: number;
  /** F(x/σ_d, t) at the step's start, already evaluated (one NFE). */
  readonly F: Tensor;
  /** F(y/σ_d, time) for another state; counts one NFE. */
  readonly velocity: (y: Tensor, time: number) => Tensor;
  /** Fresh N(0, σ_d² I) noise shaped like x from stream `key` (per sample, see `sampleNoise`). */
  readonly freshNoise: (key: number) => Tensor;
}

/** The rule of one sampler step: returns x at `tNext`. */
export type StepRule = (ctx: StepContext) => Tensor;

/** A sampler's step rule, and whether it re-noises between steps (then it needs `options.rng`). */
export interface SamplerRule {
  readonly step: StepRule;
  readonly renoises?: boolean;
}

/** The sampler that runs `rule` down the grid `ts` from `noise` (x at ts[0]); see `Sampler`. */
export function samplerFrom(rule: SamplerRule): Sampler {
  return (velocity, noise, ts, options) => runSampler(rule, velocity, noise, ts, options);
}

function runSampler(
  { step: rule, renoises = false }: SamplerRule,
  velocityFn: VelocityFn,
  noise: Tensor,
  ts: readonly number[],
  options: SamplerOptions,
): SampleResult {
  const { sigmaData, onStep, rng, first = 0 } = options;
  checkSigmaData(sigmaData);
  checkGrid(ts);
  checkBatched(noise, "noise");
  if (renoises && ts.length > 2) requireRng(rng); // fail before the first network call
  if (!isSampledNoise(noise)) checkFiniteTensor(noise, "noise"); // the call's one device read
  const batch = noise.shape[0]!;
  let nfe = 0;
  const velocity = (y: Tensor, time: number): Tensor => {
    nfe++;
    const F = velocityFn(tf.div(y, sigmaData), tf.fill([batch], time)); // Eq. 3: input x_t/σ_d, t [B]
    checkSameShape(F, "the velocity callback's output", y, "x");
    return F;
  };
  const freshNoise = (key: number): Tensor =>
    sampleNoise(requireRng(rng), batch, noise.shape.slice(1), sigmaData, { first, key });
  let x = noise;
  try {
    for (let step = 0; step < ts.length - 1; step++) {
      const t = ts[step]!;
      const tNext = ts[step + 1]!;
      const out = tf.tidy(() => {
        const F = velocity(x, t);
        const next = rule({ x, t, tNext, step, sigmaData, F, velocity, freshNoise });
        // App. B: the denoised estimate, only computed when someone is listening.
        return onStep ? { next, denoised: consistencyFunctionUnchecked(x, F, t, sigmaData) } : { next };
      });
      if (x !== noise) x.dispose();
      x = out.next;
      if (onStep) {
        try {
          onStep({ step, steps: ts.length - 1, t, tNext, x, denoised: out.denoised!, nfe });
        } finally {
          out.denoised!.dispose();
        }
      }
    }
  } catch (err) {
    if (x !== noise) x.dispose();
    throw err;
  }
  return { x0: x, nfe };
}
