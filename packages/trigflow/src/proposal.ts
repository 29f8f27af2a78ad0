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
 * Draws `n` times t = arctan(e^τ/σ_d), τ ~ N(P_mean, P_std²) (§4), as a float32 tensor [n]. Draws
 * τ in order from `rng` (advancing it), so interleaving with per-sample noise streams cannot collide.
 */
export function sampleTime(rng: Rng, n: number, proposal: TimeProposal): Tensor {
  checkFiniteNumber(proposal.pMean, "pMean");
  checkPositive(proposal.pStd, "pStd");
  checkSigmaData(proposal.sigmaData);
  checkCount(n, "n");
  const tau = randomNormal(rng, [n], proposal.pStd, proposal.pMean); // [n]
  const t = tf.tidy(() => tf.atan(tf.div(tf.exp(tau), proposal.sigmaData))); // t = arctan(e^τ/σ_d)
  tau.dispose();
  return t;
}
