// The consistency sampler (§4 sampling): x̂0 = f(x_{t_0}, t_0) with f = cos t·x_t − sin t·σ_d·F (Eq. 5);
// for each later time t_j re-noise x_{t_j} = cos t_j·x̂0 + sin t_j·z_j with fresh z_j ~ N(0, σ_d² I)
// and apply f again. Grids: [t_max, 0] (1 step), [t_max, 1.1, 0] (2 steps), see `consistencyTimes`.
// x and F are the sampler's own state and network output, z_j its own draw: the unchecked twins
// apply them without reading the device (run.ts). Re-noising needs `options.rng`, checked up front.
import { forwardProcessUnchecked } from "../forward.js";
import { consistencyFunctionUnchecked } from "../parameterization.js";
import { type StepRule, samplerFrom } from "./run.js";
import type { Sampler } from "./types.js";

const consistencyStep: StepRule = ({ x, t, tNext, F, sigmaData, step, freshNoise }) => {
  const x0Hat = consistencyFunctionUnchecked(x, F, t, sigmaData); // Eq. 5
  if (tNext === 0) return x0Hat;
  return forwardProcessUnchecked(x0Hat, freshNoise(step + 1), tNext); // §3: x_t = cos t·x̂0 + sin t·z
};

/**
 * Multistep consistency sampling over `ts` (§4); NFE = number of steps. Needs `options.rng` for more
 * than one step: z_j for sample i comes from `rng.at(j).at(first + i)`.
 */
export const sampleConsistency: Sampler = samplerFrom({ step: consistencyStep, renoises: true });
