// The training-time proposal (§4, App. G): τ ~ N(P_mean, P_std²), t = arctan(e^τ/σ_d), i.e. EDM's
// lognormal σ = e^τ mapped to TrigFlow time, so log(σ_d·tan t) = τ.
import { type Rng, randomNormal, type Tensor, tf } from "@scm/backend";
import { checkCount, checkFiniteNumber, checkPositive, checkSigmaData } from "./validate.js";

/** The lognormal time proposal: τ ~ N(pMean, pStd²), t = arctan(e^τ/σ_d). */
export interface TimeProposal {
  /** P_mean, the mean of τ = log σ. */
  readonly pMean: number;
  /** P_std, the standard deviation of τ = log σ. */
  readonly pStd: number;
  /** σ_d, the data standard deviation (0.5 everywhere in the paper). */
  readonly sigmaData: number;
}

/** The paper's proposals (§4 and App. G), σ_d = 0.5 throughout. */
export const timeProposalPresets = {
  cmCifar10: /*          */ { pMean: -1.0, pStd: 1.4, sigmaData: 0.5 },
  cmImagenet64: /*       */ { pMean: -1.0, pStd: 1.6, sigmaData: 0.5 },
  cmImagenet512: /*      */ { pMean: -0.8, pStd: 1.6, sigmaData: 0.5 },
  teacherImagenet64: /*  */ { pMean: -0.8, pStd: 1.6, sigmaData: 0.5 },
  teacherImagenet512: /* */ { pMean: -0.4, pStd: 1.0, sigmaData: 0.5 },
} as const satisfies Record<string, TimeProposal>;

/** The name of one of the paper's proposals. */
export type TimeProposalPreset = keyof typeof timeProposalPresets;

/**
 * A time proposal as Algorithm 1 uses it: `n` training times t ∈ (0, π/2) drawn from `rng` (advancing
 * it), as a float32 tensor [n]. Any distribution of t fits here; `lognormalTimes` is the paper's.
 */
export type TimeSampler = (rng: Rng, n: number) => Tensor;

/**
 * The paper's proposal as a `TimeSampler`: t = arctan(e^τ/σ_d), τ ~ N(P_mean, P_std²) (§4), for the
 * σ_d given. Draws τ in order from `rng`, so interleaving with per-sample noise streams cannot collide.
 */
export function lognormalTimes(
  proposal: Pick<TimeProposal, "pMean" | "pStd">,
  sigmaData: number,
): TimeSampler {
  const { pMean, pStd } = proposal;
  checkFiniteNumber(pMean, "pMean");
  checkPositive(pStd, "pStd");
  checkSigmaData(sigmaData);
  return (rng, n) => {
    checkCount(n, "n");
    const tau = randomNormal(rng, [n], pStd, pMean); // [n]
    const t = tf.tidy(() => tf.atan(tf.div(tf.exp(tau), sigmaData))); // t = arctan(e^τ/σ_d)
    tau.dispose();
    return t;
  };
}

/** Draws `n` times from the lognormal `proposal` with its own σ_d: `lognormalTimes(proposal, proposal.sigmaData)(rng, n)`. */
export function sampleTime(rng: Rng, n: number, proposal: TimeProposal): Tensor {
  return lognormalTimes(proposal, proposal.sigmaData)(rng, n);
}
