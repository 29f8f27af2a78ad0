// The pictures a run writes as it trains: samples of the EMA network (1- and 2-step consistency
// samples; a teacher's ODE samples for diffusion runs), and the loss curve.
import { join } from "node:path";
import { tf } from "@scm/backend";
import { writeFileAtomic } from "@scm/io/node";
import { network, type Params } from "@scm/nets";
import {
  classRows,
  generate,
  lossCurvePng,
  lossCurveSvg,
  type MetricsRow,
  type SamplingMethod,
  sampleGridPngAsync,
  scatterPngAsync,
} from "@scm/runs";
import type { BuiltRun } from "./build.js";
import { emaName } from "./build.js";
import type { TrainConfig } from "./options.js";

/** The sample pictures of a run of this mode: file name and sampling method. */
export function samplePictures(config: TrainConfig): { file: string; method: SamplingMethod }[] {
  if (config.mode === "diffusion") {
    return [{ file: "samples-heun.png", method: { kind: "ode", sampler: "heun", nfe: config.sampleNfe } }];
  }
  return [
    { file: "samples-1step.png", method: { kind: "consistency", steps: 1 } },
    { file: "samples-2step.png", method: { kind: "consistency", steps: 2 } },
  ];
}

/**
 * `n` samples of the run's EMA network by `method` (the guidance scale s_max); a conditional network
 * gets `labels`, or classes cycled.
 */
export function emaSamples(
  run: BuiltRun,
  config: TrainConfig,
  method: SamplingMethod,
  n: number,
  labels?: readonly number[],
): tf.Tensor {
  const net = network(run.networkConfig, run.trainer.emas[emaName] as Params);
  return generate(net, {
    method,
    n,
    sampleShape: run.datasetInfo.sampleShape,
    sigmaData: config.sigmaData,
    seed: config.seed,
    label: run.networkConfig.numClasses > 0 ? (labels ?? "cycle") : undefined,
    numClasses: run.datasetInfo.numClasses ?? 0,
    guidance: run.networkConfig.guidanceEmbedding ? config.guidanceMax : undefined,
    embedsGuidance: run.networkConfig.guidanceEmbedding,
  });
}

/** Draws the EMA network's samples and writes them as PNG grids (or scatter plots for 2-D data). */
export async function writeSamplePictures(
  run: BuiltRun,
  config: TrainConfig,
  dir: string,
): Promise<string[]> {
  const { sampleShape } = run.datasetInfo;
  // A conditional image model draws one row per class.
  const classes = sampleShape.length > 1 ? run.networkConfig.numClasses : 0;
  const perClass = Math.ceil(config.sampleCount / Math.max(classes, 1));
  const labels = classes > 0 ? classRows(classes, perClass) : undefined;
  const written: string[] = [];
  for (const { file, method } of samplePictures(config)) {
    const x = emaSamples(run, config, method, labels?.length ?? config.sampleCount, labels);
    try {
      const png =
        sampleShape.length === 1
          ? await scatterPngAsync(
              x,
              run.dataset.x.subarray(0, 2 * Math.min(run.dataset.n, 4000)),
              file.replace(".png", ""),
            )
          : await sampleGridPngAsync(x, labels === undefined ? undefined : perClass);
      await writeFileAtomic(join(dir, file), png);
      written.push(file);
    } finally {
      tf.dispose(x);
    }
  }
  return written;
}

/** Writes the loss curve as loss.svg and loss.png. */
export async function writeLossPlots(rows: readonly MetricsRow[], dir: string): Promise<void> {
  if (rows.length < 2) return;
  await writeFileAtomic(join(dir, "loss.svg"), lossCurveSvg(rows));
  await writeFileAtomic(join(dir, "loss.png"), lossCurvePng(rows));
}
