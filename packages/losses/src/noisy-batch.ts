// The draws every objective starts from (§3, §4): t from the time proposal, a function (rng, n) → t,
// z ~ N(0, σ_d² I), x_t = cos t·x0 + sin t·z. All from the step's Rng, in this order: t, then z.
// x_t comes from @scm/trigflow's unchecked twin: t and z are drawn here, and x0's values are checked
// in the trainer's one device read, so a step reads nothing before it (docs/architecture.md).
import { type Rng, randomNormal, type Tensor, tf } from "@scm/backend";
import { formatShape } from "@scm/errors";
import {
  lognormalTimes,
  type TimeProposal,
  type TimeProposalPreset,
  type TimeSampler,
  timeProposalPresets,
} from "@scm/trigflow";
import { forwardProcessUnchecked } from "@scm/trigflow/unchecked";
import { LossConfigError } from "./errors.js";
import type { LossBatch } from "./types.js";

/** A proposal given by value or by the name of one of the paper's presets. */
export type ProposalLike = TimeProposal | TimeProposalPreset;

/** The proposal itself: a preset's row, or the given object. */
export function resolveProposal(proposal: ProposalLike): TimeProposal {
  if (typeof proposal !== "string") return proposal;
  const preset = (timeProposalPresets as Record<string, TimeProposal>)[proposal];
  if (preset === undefined) {
    throw new LossConfigError(
      "proposal",
      JSON.stringify(proposal),
      `one of ${Object.keys(timeProposalPresets).join(", ")}`,
    );
  }
  return preset;
}

/** An objective's time proposal: a `(rng, n) → t` function, or the lognormal one by value or preset name. */
export type TimesLike = TimeSampler | ProposalLike;

/**
 * The time proposal as a `(rng, n) → t` function and σ_d, from an objective's options: a function
 * needs σ_d given beside it; a lognormal proposal uses the given σ_d, or else its own.
 */
export function resolveTimes(
  proposal: TimesLike,
  sigmaData?: number,
): { times: TimeSampler; sigmaData: number } {
  if (sigmaData !== undefined && !(Number.isFinite(sigmaData) && sigmaData > 0)) {
    throw new LossConfigError("sigmaData", sigmaData, "σ_d, a finite number > 0");
  }
  if (typeof proposal === "function") {
    if (sigmaData === undefined) {
      throw new LossConfigError(
        "sigmaData",
        sigmaData,
        "σ_d > 0 beside a proposal function, which carries none",
      );
    }
    return { times: proposal, sigmaData };
  }
  const lognormal = resolveProposal(proposal);
  const sigma = sigmaData ?? lognormal.sigmaData;
  return { times: lognormalTimes(lognormal, sigma), sigmaData: sigma };
}

/** The noisy batch of one step: t [B], z and x_t [B, ...]. */
export interface NoisyBatch {
  readonly t: Tensor;
  readonly z: Tensor;
  readonly xT: Tensor;
}

/** Checks a batch: float32 x0 [B, ...] of rank ≥ 2, labels int32 [B] when given. */
export function checkBatch(batch: LossBatch): number {
  const { x0, label } = batch;
  if (!(x0 instanceof tf.Tensor) || x0.dtype !== "float32" || x0.rank < 2 || x0.shape[0]! < 1) {
    const what = x0 instanceof tf.Tensor ? `${x0.dtype} ${formatShape(x0.shape)}` : typeof x0;
    throw new LossConfigError("batch.x0", what, "a float32 tensor [B, ...] of rank ≥ 2 with B ≥ 1");
  }
  const B = x0.shape[0]!;
  if (label !== undefined && (label.dtype !== "int32" || label.rank !== 1 || label.shape[0] !== B)) {
    throw new LossConfigError("batch.label", `${label.dtype} ${formatShape(label.shape)}`, `int32 [${B}]`);
  }
  return B;
}

/**
 * Draws t = times(rng, B) and z ~ N(0, σ_d² I) from `rng` and forms x_t = cos t·x0 + sin t·z (§3);
 * `times` and σ_d as `resolveTimes` takes them. Reads nothing back: x0's values are not checked (the
 * trainer checks `batch.x0` in its one read).
 */
export function drawNoisyBatch(rng: Rng, x0: Tensor, proposal: TimesLike, sigmaData?: number): NoisyBatch {
  const resolved = resolveTimes(proposal, sigmaData);
  const B = x0.shape[0]!;
  const t = resolved.times(rng, B); // [B]
  const z = randomNormal(rng, x0.shape, resolved.sigmaData); // [B, ...], N(0, σ_d² I)
  const xT = forwardProcessUnchecked(x0, z, t); // §3: x_t = cos t·x0 + sin t·z
  return { t, z, xT };
}
