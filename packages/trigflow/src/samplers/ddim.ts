// DDIM in TrigFlow (§4 sampling): x_t = cos(s − t)·x_s − sin(s − t)·σ_d·F(x_s/σ_d, s), i.e. rotate
// (x_s, σ_d·F) back to (x̂0, ẑ) and forward again to t. First order; one NFE per step.
import { tf } from "@scm/backend";
import { type StepRule, samplerFrom } from "./run.js";
import type { Sampler } from "./types.js";

const ddimStep: StepRule = ({ x, t, tNext, F, sigmaData }) =>
  // §4: x_t = cos(s − t)·x_s − sin(s − t)·σ_d·F(x_s/σ_d, s), s = t (this step's start), t = tNext
  tf.sub(tf.mul(x, Math.cos(t - tNext)), tf.mul(F, Math.sin(t - tNext) * sigmaData));

/** DDIM in TrigFlow over the grid `ts` (§4): NFE = number of steps. */
export const sampleDdim: Sampler = samplerFrom({ step: ddimStep });
