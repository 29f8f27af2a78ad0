// EDM's 2nd-order Heun sampler (Karras et al. 2022, Alg. 1) on the TrigFlow PF-ODE
// dx_t/dt = σ_d·F(x_t/σ_d, t) (Eq. 3), normally over `edmTimeGrid` (ρ = 7, §4 sampling). As in EDM
// the last step, to t = 0, is a plain Euler step: NFE = 2·steps − 1 (35 for 18 steps).
import { tf } from "@scm/backend";
import { type StepRule, samplerFrom } from "./run.js";
import type { Sampler } from "./types.js";

const heunStep: StepRule = ({ x, t, tNext, F, sigmaData, velocity: evaluate }) => {
  const h = tNext - t; // negative: integrating from noise to data
  const d = tf.mul(F, sigmaData); // Eq. 3: dx/dt at (x, t)
  const euler = tf.add(x, tf.mul(d, h));
  if (tNext === 0) return euler; // EDM Alg. 1: no correction at σ = 0
  const dNext = tf.mul(evaluate(euler, tNext), sigmaData); // dx/dt at (x_euler, tNext)
  return tf.add(x, tf.mul(tf.add(d, dNext), h / 2)); // trapezoid: x + h·(d + d')/2
};

/** EDM Heun over the grid `ts` on the PF-ODE (Eq. 3); the last step is Euler. NFE = 2·steps − 1. */
export const sampleHeun: Sampler = samplerFrom({ step: heunStep });
