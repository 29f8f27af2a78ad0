// scm-sample's work: load a run's network, draw samples, write the picture (and .npy).
import { dirname, join } from "node:path";
import { tf } from "@scm/backend";
import { UsageError } from "@scm/cli";
import { loadDataset } from "@scm/data/node";
import { writeFileAtomic, writeNpyFile } from "@scm/io/node";
import { generate, type SamplingMethod, sampleGridPngAsync, scatterPngAsync } from "@scm/runs";
import { checkpointPath, loadRunNetwork } from "@scm/runs/node";
import ndarray from "ndarray";
import type { SampleConfig } from "./options.js";

/** What scm-sample wrote. */
export interface SampleOutcome {
  readonly png: string;
  readonly npy?: string | undefined;
  readonly method: SamplingMethod;
}

function methodOf(config: SampleConfig): SamplingMethod {
  return config.sampler === undefined
    ? { kind: "consistency", steps: config.steps }
    : { kind: "ode", sampler: config.sampler, nfe: config.nfe };
}

function methodName(m: SamplingMethod): string {
  return m.kind === "consistency" ? `${m.steps}step` : `${m.sampler}-nfe${m.nfe}`;
}

/** Samples from `config.run` and writes the PNG (grid, or scatter for 2-D data) and optionally .npy. */
export async function sample(config: SampleConfig): Promise<SampleOutcome> {
  if (config.run === undefined)
    throw new UsageError("Give the run to sample from: scm-sample --run RUN_DIR.");
  const method = methodOf(config);
  const loaded = await loadRunNetwork(config.run, config.weights);
  try {
    const { meta } = loaded;
    const { sampleShape, numClasses = 0 } = meta.dataset;
    if (method.kind === "consistency" && meta.mode === "diffusion") {
      process.stderr.write(
        `Note: ${config.run} is a diffusion teacher; one consistency step from it is blurry. Use --sampler heun --nfe 35.\n`,
      );
    }
    if (config.class !== undefined && meta.network.numClasses === 0) {
      throw new UsageError(`--class ${config.class}: the model in ${config.run} is unconditional.`);
    }
    const x = generate(loaded.net, {
      method,
      n: config.n,
      sampleShape,
      sigmaData: meta.sigmaData,
      seed: config.seed,
      label: meta.network.numClasses > 0 ? (config.class ?? "cycle") : undefined,
      numClasses,
      guidance: config.guidance,
      embedsGuidance: meta.network.guidanceEmbedding,
      batchSize: config.batchSize,
    });
    try {
      const base = dirname(await checkpointPath(config.run));
      const png = config.out ?? join(base, `sample-${methodName(method)}.png`);
      let picture: Uint8Array;
      if (sampleShape.length === 1) {
        const reference = await loadDataset(meta.dataset.name).then(
          (d) => d.x.subarray(0, 2 * Math.min(d.n, 4000)),
          () => new Float32Array(0), // data not reachable from here: samples alone
        );
        picture = await scatterPngAsync(x, reference, methodName(method));
      } else {
        picture = await sampleGridPngAsync(x);
      }
      await writeFileAtomic(png, picture);
      if (config.npy !== undefined) {
        await writeNpyFile(config.npy, ndarray(Float32Array.from(await x.data()), [...x.shape]));
      }
      return { png, npy: config.npy, method };
    } finally {
      tf.dispose(x);
    }
  } finally {
    loaded.dispose();
  }
}
