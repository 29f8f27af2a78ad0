// Composes the packages into a training run from a TrainConfig: dataset, network, teacher, loss,
// trainer. Everything that can fail on bad input fails here, before anything is written to disk.
import { readFile } from "node:fs/promises";
import type { tf } from "@scm/backend";
import { UsageError } from "@scm/cli";
import type { Dataset } from "@scm/data";
import { loadDataset } from "@scm/data/node";
import { boundedJson } from "@scm/io";
import {
  createTrainer,
  diffusionLoss,
  type LearningRate,
  type Loss,
  scdLoss,
  sctLoss,
  type Trainer,
} from "@scm/losses";
import { loadModel } from "@scm/models/node";
import {
  initNetwork,
  type NetworkConfig,
  presets as netPresets,
  network,
  type Params,
  resolveNetworkConfig,
} from "@scm/nets";
import { hostTensors, type LoadedNetwork, paramsFromHost, type RunDataset } from "@scm/runs";
import type { NetworkFn, TimeProposal } from "@scm/trigflow";
import { netPresetNames, type TrainConfig } from "./options.js";

/** The sampling EMA's name in checkpoints. */
export const emaName = "ema";

/** Everything a training loop needs, built and checked. */
export interface BuiltRun {
  readonly dataset: Dataset;
  readonly datasetInfo: RunDataset;
  readonly networkConfig: NetworkConfig;
  readonly params: Params;
  readonly student: NetworkFn;
  readonly teacher?: LoadedNetwork | undefined;
  readonly trainer: Trainer;
  readonly steps: number;
  /** Frees every tensor of the run. */
  dispose(): void;
}

/** The network `--net` names: a preset, or a JSON file of a network config (any shape @scm/nets builds). */
async function baseNetwork(net: string | undefined): Promise<object> {
  if (net?.endsWith(".json")) {
    let text: string;
    try {
      text = await readFile(net, "utf8");
    } catch (err) {
      throw new UsageError(
        `--net ${net} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`,
      );
    }
    try {
      return JSON.parse(text) as object;
    } catch (err) {
      throw new UsageError(`--net ${net} is not JSON: ${(err as Error).message}.`);
    }
  }
  const [kind, name] = (net ?? "").split(":") as [string, string | undefined];
  const base = (netPresets as Record<string, Record<string, object>>)[kind]?.[name ?? ""];
  if (base === undefined) {
    throw new UsageError(
      `--net is "${net}"; expected one of ${netPresetNames.join(", ")}, or a network config .json file.`,
    );
  }
  return base;
}

/** The network config of `--net`, adapted to the data and the mode. */
export async function networkConfigFor(config: TrainConfig, dataset: Dataset): Promise<NetworkConfig> {
  const base = await baseNetwork(config.net);
  const wanted: Record<string, unknown> = { ...base };
  if (config.dropout !== undefined) wanted["dropout"] = config.dropout;
  if ((wanted["numClasses"] as number) > 0) wanted["numClasses"] = dataset.numClasses ?? 0; // labels come from the data
  wanted["guidanceEmbedding"] = config.mode === "scd" && config.guidanceMax > 1;
  let resolved: NetworkConfig;
  try {
    resolved = resolveNetworkConfig(wanted);
  } catch (err) {
    throw new UsageError(`--net ${config.net}: ${(err as Error).message}`);
  }
  const sample = dataset.sampleShape;
  const expected =
    resolved.kind === "mlp" ? [resolved.dim] : [resolved.resolution, resolved.resolution, resolved.channels];
  if (JSON.stringify(sample) !== JSON.stringify(expected)) {
    throw new UsageError(
      `--net ${config.net} takes samples of shape [${expected.join(", ")}] but --data ${config.data} has [${sample.join(", ")}].`,
    );
  }
  return resolved;
}

function learningRate(config: TrainConfig): LearningRate {
  return config.lrSchedule === "constant"
    ? config.lr!
    : { kind: "inverseSqrt", alphaRef: config.lr!, tRef: config.lrRefSteps };
}

function lossFor(config: TrainConfig, networkConfig: NetworkConfig, teacher: NetworkFn | undefined): Loss {
  const proposal: TimeProposal = { pMean: config.pMean!, pStd: config.pStd!, sigmaData: config.sigmaData };
  const numClasses = networkConfig.numClasses;
  if (config.mode === "diffusion") {
    return diffusionLoss({
      proposal,
      uncertaintyWeighting: config.adaptiveWeighting,
      labelDropout:
        numClasses > 0 && config.labelDropout > 0
          ? { rate: config.labelDropout, nullLabel: numClasses }
          : undefined,
    });
  }
  const common = {
    proposal,
    tangentWarmup: config.tangentWarmup!,
    normalization: config.normalization,
    normalizationConstant: config.normalizationConstant,
    adaptiveWeighting: config.adaptiveWeighting,
    time: config.discreteSteps === 0 ? ("continuous" as const) : { steps: config.discreteSteps },
  };
  if (config.mode === "sct") return sctLoss(common);
  return scdLoss({
    ...common,
    teacher: teacher!,
    guidance: config.guidanceMax > 1 ? { sMax: config.guidanceMax, nullLabel: numClasses } : undefined,
  });
}

async function initialParams(config: TrainConfig, networkConfig: NetworkConfig): Promise<Params> {
  const source = config.init ?? (config.mode === "diffusion" ? undefined : config.teacher);
  if (source === undefined) return initNetwork(networkConfig, config.seed);
  // §5: sCT and sCD start from the teacher's EMA weights; a guidance embedding the teacher lacks
  // starts as initNetwork would draw it (zero-initialised output: the student starts as the teacher).
  const start = await loadModel(source).catch((err: Error) => {
    throw new UsageError(`--init/--teacher ${source}: ${err.message}`);
  });
  try {
    return paramsFromHost(await hostTensors(start.params), networkConfig, { seed: config.seed });
  } catch (err) {
    throw new UsageError(
      `--init/--teacher ${source} does not fit --net ${config.net}: ${(err as Error).message}`,
    );
  } finally {
    start.dispose();
  }
}

/** Builds the run of `config`: loads data and teacher, makes the network, loss and trainer. */
export async function buildRun(config: TrainConfig): Promise<BuiltRun> {
  const dataset = await loadDataset(
    config.data!,
    config.imageSize === undefined ? {} : { size: config.imageSize },
  );
  const networkConfig = await networkConfigFor(config, dataset);
  const teacher =
    config.mode === "scd"
      ? await loadModel(config.teacher!).catch((err: Error) => {
          throw new UsageError(`--teacher ${config.teacher}: ${err.message}`);
        })
      : undefined;
  if (teacher !== undefined && teacher.meta.mode !== "diffusion") {
    const mode: unknown = teacher.meta.mode;
    const what =
      mode === "sct" || mode === "scd"
        ? `an ${mode === "sct" ? "sCT" : "sCD"} consistency model`
        : `a model of mode ${boundedJson(mode, 40)}`;
    teacher.dispose();
    throw new UsageError(
      `--teacher ${config.teacher} is ${what}, not a diffusion model; sCD distils a diffusion teacher (a --mode diffusion run or mnist-teacher).`,
    );
  }
  if (teacher !== undefined && config.guidanceMax > 1 && teacher.meta.network.numClasses === 0) {
    teacher.dispose();
    throw new UsageError(
      `--guidance-max ${config.guidanceMax} needs a class-conditional teacher; ${config.teacher} is unconditional.`,
    );
  }
  const params = await initialParams(config, networkConfig);
  const student = network(networkConfig, params);
  const trainer = createTrainer({
    student,
    params: params as Record<string, tf.Variable>,
    loss: lossFor(config, networkConfig, teacher?.net),
    optimizer: { kind: config.optimizer, beta1: config.beta1, beta2: config.beta2, epsilon: config.eps },
    learningRate: learningRate(config),
    gradientClip: config.gradClip > 0 ? config.gradClip : undefined,
    emas: { [emaName]: { kind: "halfLife", halfLifeImages: config.emaHalfLife! } },
    seed: config.seed,
    onNonFinite: "throw",
  });
  const datasetInfo: RunDataset = {
    name: dataset.name,
    sampleShape: dataset.sampleShape,
    numClasses: dataset.numClasses,
    classNames: dataset.classNames,
  };
  return {
    dataset,
    datasetInfo,
    networkConfig,
    params,
    student,
    teacher,
    trainer,
    steps: Math.ceil(config.images! / config.batchSize!),
    dispose() {
      trainer.dispose();
      for (const p of Object.values(params)) p.dispose();
      teacher?.dispose();
    },
  };
}
