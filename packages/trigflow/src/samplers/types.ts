// The contract every sampler shares (k-diffusion style): one velocity callback, one signature, one
// step callback, one result.
import type { Rng, Tensor } from "@scm/backend";

/**
 * The network F_θ(x_t/σ_d, t) (§3, Eq. 3: dx_t/dt = σ_d·F): `xOverSigmaD` [B, ...] and `t` [B];
 * returns F shaped like `xOverSigmaD`. Called inside `tf.tidy`, so intermediates are cleaned up.
 */
export type VelocityFn = (xOverSigmaD: Tensor, t: Tensor) => Tensor;

/** What a sampler reports after each step; the tensors belong to the sampler (clone to keep). */
export interface StepInfo {
  /** The step just taken, from 0. */
  readonly step: number;
  /** The number of steps, `ts.length − 1`. */
  readonly steps: number;
  /** The time the step started from. */
  readonly t: number;
  /** The time the step arrived at. */
  readonly tNext: number;
  /** The state at `tNext` [B, ...]. */
  readonly x: Tensor;
  /** The denoised estimate at `t`, cos t·x_t − sin t·σ_d·F (App. B) [B, ...]. */
  readonly denoised: Tensor;
  /** Velocity evaluations so far. */
  readonly nfe: number;
}

/** Options every sampler takes. */
export interface SamplerOptions {
  /** σ_d, the data standard deviation (0.5 in the paper). */
  readonly sigmaData: number;
  /** Called after every step. */
  readonly onStep?: ((info: StepInfo) => void) | undefined;
  /** Fresh noise for the multistep consistency sampler (stream key j re-noises before step j). */
  readonly rng?: Rng | undefined;
  /** Index of the batch's first sample, so re-noising of sample i does not depend on the batch. */
  readonly first?: number | undefined;
}

/** What a sampler returns: the sample at the grid's last time (t = 0) and the number of evaluations. */
export interface SampleResult {
  /** The sample at t = 0 [B, ...], a new tensor owned by the caller. */
  readonly x0: Tensor;
  /** Number of function (velocity) evaluations. */
  readonly nfe: number;
}

/**
 * A sampler: integrates from `noise` (x at `ts[0]`, N(0, σ_d² I)) down a strictly decreasing time
 * grid `ts` that ends at 0. Never disposes `noise`.
 */
export type Sampler = (
  velocity: VelocityFn,
  noise: Tensor,
  ts: readonly number[],
  options: SamplerOptions,
) => SampleResult;
