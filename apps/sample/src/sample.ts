// scm-sample's work: load a network (a shipped model, a model file or a run), draw samples, write
// the picture (and .npy).
import { dirname, join } from "node:path";
import { tf } from "@scm/backend";
import { UsageError } from "@scm/cli";
import { loadDataset } from "@scm/data/node";
import { writeFileAtomic, writeNpyFile } from "@scm/io/node";
import { isModelName } from "@scm/models";
import { loadModel } from "@scm/models/node";
import {
  classRows,
  generate,
  type LoadedNetwork,
  type SamplingMethod,
  sampleGridPngAsync,
  scatterPngAsync,
} from "@scm/runs";
import { checkpointPath, loadRunNetwork } from "@scm/runs/node";
import ndarray from "ndarray";
import type { SampleConfig } from "./options.js";

/** What scm-sample wrote. */
export interface SampleOutcome {
  readonly png: string;
  readonly npy?: string | undefined;
  readonly method: SamplingMethod;
  /** How many samples were drawn (a whole number of rows per class when no --class was given). */
  readonly n: number;
}

function methodOf(config: SampleConfig): SamplingMethod {
  return config.sampler === undefined
    ? { kind: "consistency", steps: config.steps }
    : { kind: "ode", sampler: config.sampler, nfe: config.nfe };
}

function methodName(m: SamplingMethod): string {
  return m.kind === "consistency" ? `${m.steps}step` : `${m.sampler}-nfe${m.nfe}`;
}

/** The network to sample and where its pictures go by default. */
async function loadSource(
  config: SampleConfig,
  method: SamplingMethod,
): Promise<{ loaded: LoadedNetwork; source: string; out: string }> {
  const file = `samples-${methodName(method)}.png`;
  if (config.model !== undefined && config.run !== undefined) {
    throw new UsageError(
      `Give either --model or --run, not both (got --model ${config.model} and --run ${config.run}).`,
    );
  }
  if (config.model !== undefined) {
    if (config.weights !== "ema")
      throw new UsageError("--weights raw needs --run: a model file holds only the EMA weights.");
    const loaded = await loadModel(config.model);
    const out = isModelName(config.model)
      ? `${config.model}-${methodName(method)}.png`
      : join(config.model.endsWith(".safetensors") ? dirname(config.model) : config.model, file);
    return { loaded, source: config.model, out };
  }
  if (config.run === undefined) {
    throw new UsageError("Give the model to sample from: scm-sample --model mnist-scd, or --run RUN_DIR.");
  }
  const loaded = await loadRunNetwork(config.run, config.weights);
  return { loaded, source: config.run, out: join(dirname(await checkpointPath(config.run)), file) };
}

/** Samples as `config` says and writes the PNG (grid, or scatter for 2-D data) and optionally .npy. */
export async function sample(config: SampleConfig): Promise<SampleOutcome> {
  const method = methodOf(config);
  const { loaded, source, out } = await loadSource(config, method);
  try {
    const { meta } = loaded;
    const { sampleShape, numClasses = 0 } = meta.dataset;
    if (method.kind === "consistency" && meta.mode === "diffusion") {
      process.stderr.write(
        `Note: ${source} is a diffusion teacher; one consistency step from it is blurry. Use --sampler heun --nfe 35.\n`,
      );
    }
    const conditional = meta.network.numClasses > 0;
    if (config.class !== undefined && !conditional) {
      throw new UsageError(`--class ${config.class}: the model in ${source} is unconditional.`);
    }
    // Without --class, a conditional model draws one row per class.
    const perClass = Math.ceil(config.n / Math.max(numClasses, 1));
    const byRows = conditional && config.class === undefined && sampleShape.length > 1;
    const n = byRows ? perClass * numClasses : config.n;
    const x = generate(loaded.net, {
      method,
      n,
      sampleShape,
      sigmaData: meta.sigmaData,
      seed: config.seed,
      label: conditional ? (config.class ?? (byRows ? classRows(numClasses, perClass) : "cycle")) : undefined,
      numClasses,
      guidance: config.guidance ?? (meta.network.guidanceEmbedding ? meta.guidanceMax : undefined),
      embedsGuidance: meta.network.guidanceEmbedding,
      batchSize: config.batchSize,
    });
    try {
      const png = config.out ?? out;
      let picture: Uint8Array;
      if (sampleShape.length === 1) {
        const reference = await loadDataset(meta.dataset.name).then(
          (d) => d.x.subarray(0, 2 * Math.min(d.n, 4000)),
          () => new Float32Array(0), // data not reachable from here: samples alone
        );
        picture = await scatterPngAsync(x, reference, methodName(method));
      } else {
        picture = await sampleGridPngAsync(x, byRows ? perClass : undefined);
      }
      await writeFileAtomic(png, picture);
      if (config.npy !== undefined) {
        await writeNpyFile(config.npy, ndarray(Float32Array.from(await x.data()), [...x.shape]));
      }
      return { png, npy: config.npy, method, n };
    } finally {
      tf.dispose(x);
    }
  } finally {
    loaded.dispose();
  }
}
