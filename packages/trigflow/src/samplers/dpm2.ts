// DPM-Solver-2 (Lu et al. 2022, Alg. 1 with r₁ = 1/2; the 2S solver of §4 sampling) in TrigFlow.
// TrigFlow is a VP schedule α_t = cos t, σ_t = sin t with λ = log(α/σ) = −log tan t, so the PF-ODE
// is dx/dt = −tan t·x + ẑ/cos t with ẑ = E[z | x_t] = sin t·x_t + cos t·σ_d·F (App. B), and its
// first-order exponential-integrator step from s to t holding ẑ fixed is
//   x_t = (cos t/cos s)·x_s + cos t·(tan t − tan s)·ẑ = (cos t·x_s + sin(t − s)·ẑ)/cos s.
// The midpoint u is the midpoint in λ, i.e. in log σ: tan u = √(tan s·tan t) (σ_u = √(σ_s·σ_t)).
// This is k-diffusion's `sample_dpm_2` mapped by x_t = cos t·x_σ. The last step, to t = 0, is first
// order (it lands on the denoiser, as EDM's Euler step to σ = 0 does): NFE = 2·steps − 1.
// x and F are the sampler's own state and network outputs: the unchecked twins read nothing (run.ts).
import { type Tensor, tf } from "@scm/backend";
import { consistencyFunctionUnchecked, noiseFromFUnchecked } from "../parameterization.js";
import { type StepRule, samplerFrom } from "./run.js";
import type { Sampler } from "./types.js";

// The first-order step from `from` to `to` holding the noise estimate ẑ fixed (see above).
function noiseHeldStep(x: Tensor, zHat: Tensor, from: number, to: number): Tensor {
  return tf.add(tf.mul(x, Math.cos(to) / Math.cos(from)), tf.mul(zHat, Math.sin(to - from) / Math.cos(from)));
}

const dpm2Step: StepRule = ({ x, t, tNext, F, sigmaData, velocity: evaluate }) => {
  if (tNext === 0) return consistencyFunctionUnchecked(x, F, t, sigmaData); // x̂0 = cos t·x − sin t·σ_d·F
  const u = Math.atan(Math.sqrt(Math.tan(t) * Math.tan(tNext))); // λ-midpoint: σ_u = √(σ_t·σ_next)
  const xMid = noiseHeldStep(x, noiseFromFUnchecked(x, F, t, sigmaData), t, u);
  const zMid = noiseFromFUnchecked(xMid, evaluate(xMid, u), u, sigmaData); // ẑ at the midpoint
  return noiseHeldStep(x, zMid, t, tNext);
};

/** DPM-Solver-2 over the grid `ts`, midpoint in log σ (Lu et al. 2022); NFE = 2·steps − 1. */
export const sampleDpm2: Sampler = samplerFrom({ step: dpm2Step });
