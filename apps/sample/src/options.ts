// Every setting of scm-sample, in one table (flags, --config keys, validation, --help).
import { backendOption, type ConfigOf, type OptionTable } from "@scm/cli";

/** scm-sample's settings. */
export const sampleOptions = {
  model: {
    type: "string",
    doc: "a shipped model (mnist-scd, mnist-sct, mnist-teacher), a model file or a run's ema.safetensors",
  },
  run: {
    type: "string",
    doc: "the run directory or checkpoint file to sample from (also the first positional)",
  },
  steps: {
    type: "number",
    integer: true,
    min: 1,
    default: 1,
    doc: "consistency sampling steps from t_max (2: t_mid = 1.1)",
  },
  sampler: {
    type: "string",
    choices: ["heun", "dpm2", "ddim"],
    doc: "sample a teacher by its PF-ODE with this solver instead",
  },
  nfe: {
    type: "number",
    integer: true,
    min: 1,
    default: 35,
    doc: "network evaluations of the ODE solver (Heun/DPM-2: odd)",
  },
  n: { type: "number", integer: true, min: 1, default: 64, doc: "samples to draw" },
  seed: {
    type: "number",
    integer: true,
    min: 0,
    default: 0,
    doc: "noise seed; sample i is the same for any --n",
  },
  class: {
    type: "number",
    integer: true,
    min: 0,
    doc: "class label for a conditional model (default: one row per class, ⌈n/classes⌉ samples each)",
  },
  guidance: {
    type: "number",
    min: 0,
    doc: "guidance scale s: input of a CFG-distilled student (default its s_max), or CFG for a teacher",
  },
  weights: {
    type: "string",
    choices: ["ema", "raw"],
    default: "ema",
    doc: "the EMA weights or the raw trained ones",
  },
  out: {
    type: "string",
    doc: "the PNG to write (default <run>/samples-<method>.png; for a shipped model ./<model>-<method>.png)",
  },
  npy: {
    type: "string",
    doc: "also write the raw samples as .npy float32 [N, ...] in data space (for scm-fid)",
  },
  batchSize: { type: "number", integer: true, min: 1, default: 64, doc: "samples per network call" },
  backend: backendOption,
} as const satisfies OptionTable;

/** A resolved scm-sample config. */
export type SampleConfig = ConfigOf<typeof sampleOptions>;
