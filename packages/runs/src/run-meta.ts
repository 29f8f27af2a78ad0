// What every checkpoint's metadata says about the model, so that samplers, teachers and evaluators
// can rebuild its network without the training app's config.
import type { NetworkConfig } from "@scm/nets";

/** The dataset a run was trained on, as far as using its model needs to know. */
export interface RunDataset {
  readonly name: string;
  /** One sample's shape, e.g. [28, 28, 1] or [2]. */
  readonly sampleShape: readonly number[];
  readonly numClasses?: number | undefined;
  readonly classNames?: readonly string[] | undefined;
}

/** The part of a checkpoint's metadata every consumer relies on. */
export interface RunMeta {
  /** Steps taken when the checkpoint was written. */
  readonly step: number;
  /** The network's resolved config. */
  readonly network: NetworkConfig;
  readonly dataset: RunDataset;
  /** σ_d of the run. */
  readonly sigmaData: number;
  /** What the run trained: a diffusion teacher samples with an ODE solver, a consistency model in steps. */
  readonly mode: "diffusion" | "sct" | "scd";
  /** The name of the sampling EMA (its weights are `ema.<name>.*`). */
  readonly emaName: string;
  /** sCD with guidance (§4.2): the largest CFG scale distilled, and the default one to sample with. */
  readonly guidanceMax?: number | undefined;
}
