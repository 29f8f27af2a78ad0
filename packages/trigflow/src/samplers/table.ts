// The samplers by name, interchangeable because they share one signature (`Sampler`). One table: noise
// from `sampleNoise` is not read back (run.ts), so no unchecked twin table is needed.
import { sampleConsistency } from "./consistency.js";
import { sampleDdim } from "./ddim.js";
import { sampleDpm2 } from "./dpm2.js";
import { sampleHeun } from "./heun.js";
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
