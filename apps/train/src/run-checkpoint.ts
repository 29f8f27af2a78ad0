// The training run's checkpoint: the network (`model.*`), the trainer's optimizer moments and EMAs,
// and in the metadata the config, the trainer's and data sampler's states — all a resume needs to
// continue bit for bit.
import { tf } from "@scm/backend";
import type { SamplerState } from "@scm/data";
import type { TrainerState } from "@scm/losses";
import {
  type Checkpoint,
  type HostTensor,
  hostTensors,
  modelPrefix,
  RunError,
  type RunMeta,
  tensorGroup,
} from "@scm/runs";
import type { BuiltRun } from "./build.js";
import { emaName } from "./build.js";
import type { TrainConfig } from "./options.js";

/** The metadata of scm-train's checkpoints. */
export interface TrainCheckpointMeta extends RunMeta {
  readonly version: 1;
  readonly config: TrainConfig;
  readonly trainer: TrainerState["meta"];
  readonly sampler: SamplerState;
}

/** What using the run's weights needs to know about the run (also a model file's metadata). */
export function runMeta(run: BuiltRun, config: TrainConfig, step: number): RunMeta {
  return {
    step,
    network: run.networkConfig,
    dataset: run.datasetInfo,
    sigmaData: config.sigmaData,
    mode: config.mode,
    emaName,
    ...(run.networkConfig.guidanceEmbedding ? { guidanceMax: config.guidanceMax } : {}),
  };
}

/** The checkpoint of a run at its current step (awaited reads, so it is written on any backend). */
export async function snapshot(
  run: BuiltRun,
  config: TrainConfig,
  sampler: SamplerState,
): Promise<Checkpoint<TrainCheckpointMeta>> {
  const [state, model] = await Promise.all([run.trainer.exportState(), hostTensors(run.params, modelPrefix)]);
  const tensors: Record<string, HostTensor> = { ...model, ...state.tensors };
  return {
    meta: {
      version: 1,
      ...runMeta(run, config, state.meta.step),
      config,
      trainer: state.meta,
      sampler,
    },
    tensors,
  };
}

/** Puts a checkpoint's weights and trainer state back into a freshly built run. */
export function restore(
  run: BuiltRun,
  checkpoint: Checkpoint<TrainCheckpointMeta>,
  path: string,
): SamplerState {
  const { meta, tensors } = checkpoint;
  if (meta.version !== 1 || meta.trainer === undefined || meta.sampler === undefined) {
    throw new RunError(`${path} is not a checkpoint of scm-train (version ${String(meta.version)}).`, path);
  }
  if (JSON.stringify(meta.network) !== JSON.stringify(run.networkConfig)) {
    throw new RunError(`${path} holds a different network than this run's config describes.`, path);
  }
  const model = tensorGroup(tensors, modelPrefix);
  for (const [name, p] of Object.entries(run.params)) {
    const t = model[name];
    if (t === undefined || JSON.stringify(t.shape) !== JSON.stringify(p.shape)) {
      throw new RunError(`${path} lacks ${modelPrefix}${name} of shape [${p.shape.join(", ")}].`, path);
    }
    const value = tf.tensor(t.data, [...t.shape], "float32");
    p.assign(value);
    value.dispose();
  }
  const trainerTensors = Object.fromEntries(
    Object.entries(tensors).filter(([n]) => !n.startsWith(modelPrefix)),
  );
  run.trainer.importState({ meta: meta.trainer, tensors: trainerTensors as TrainerState["tensors"] });
  return meta.sampler;
}
