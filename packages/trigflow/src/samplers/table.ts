// The samplers by name, interchangeable because they share one signature (`Sampler`); their unchecked
// twins by the same names for `@scm/trigflow/unchecked`.
import { sampleConsistency, sampleConsistencyUnchecked } from "./consistency.js";
import { sampleDdim, sampleDdimUnchecked } from "./ddim.js";
import { sampleDpm2, sampleDpm2Unchecked } from "./dpm2.js";
import { sampleHeun, sampleHeunUnchecked } from "./heun.js";
import type { Sampler } from "./types.js";

/** Every sampler by name. */
export const samplers = {
  ddim: sampleDdim,
  heun: sampleHeun,
  dpm2: sampleDpm2,
  consistency: sampleConsistency,
} as const satisfies Record<string, Sampler>;

/** A sampler's name. */
export type SamplerName = keyof typeof samplers;

/** Every sampler without its input checks (no device read), by the names of `samplers`. */
export const samplersUnchecked = {
  ddim: sampleDdimUnchecked,
  heun: sampleHeunUnchecked,
  dpm2: sampleDpm2Unchecked,
  consistency: sampleConsistencyUnchecked,
} as const satisfies Record<SamplerName, Sampler>;
