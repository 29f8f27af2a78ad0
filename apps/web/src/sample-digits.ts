// One click's samples: the shared `generate` of @scm/runs (the consistency sampler of @scm/trigflow,
// as scm-sample runs it), read once, tiled into a grid. Nothing here re-implements sampling.
import { Rng, tf } from "@scm/backend";
import { toUint8Image } from "@scm/data";
import { imageGrid, type NdArray } from "@scm/io";
import { generate, type LoadedNetwork } from "@scm/runs";

/** What to draw. */
export interface DigitRequest {
  /** The class, or "random": one class per sample, drawn from the seed. */
  readonly digit: number | "random";
  /** Consistency steps (§4): 1, or 2 through t_mid = 1.1. */
  readonly steps: number;
  /** Guidance scale s for a student that takes it as input (sCD with CFG, §4.2). */
  readonly guidance?: number | undefined;
  readonly seed: number;
  readonly n: number;
}

/** The drawn grid and what it cost. */
export interface DigitGrid {
  /** The grid image [rows·(H+2)+2, cols·(W+2)+2, C] (`imageGrid`'s layout, 2 px padding). */
  readonly pixels: NdArray<Uint8Array>;
  readonly columns: number;
  /** The class asked of each sample (undefined for an unconditional model). */
  readonly labels: readonly number[] | undefined;
  /** Wall time of sampling plus the one read, per image. */
  readonly msPerImage: number;
  /** The guidance scale used (undefined where the model takes none). */
  readonly guidance: number | undefined;
}

/** The classes of a request: the digit for every sample, or one per sample from the seed's own stream. */
export function requestLabels(request: DigitRequest, numClasses: number): number[] | undefined {
  if (numClasses <= 0) return undefined;
  if (request.digit !== "random") return Array.from({ length: request.n }, () => request.digit as number);
  // A stream apart from generate's (which starts at Rng.seeded(seed)): fork() returns a new stream.
  const rng = Rng.seeded(request.seed).fork();
  return Array.from({ length: request.n }, () =>
    Math.min(numClasses - 1, Math.floor(rng.uniform() * numClasses)),
  );
}

/** Samples `request` from `model` and tiles the images into a grid, `ceil(√n)` per row. */
export async function sampleDigits(model: LoadedNetwork, request: DigitRequest): Promise<DigitGrid> {
  const { meta } = model;
  const { sampleShape, numClasses = 0 } = meta.dataset;
  const labels = requestLabels(request, meta.network.numClasses > 0 ? numClasses : 0);
  const guidance = meta.network.guidanceEmbedding ? (request.guidance ?? meta.guidanceMax ?? 1) : undefined;
  const start = performance.now();
  const x = generate(model.net, {
    method: { kind: "consistency", steps: request.steps },
    n: request.n,
    sampleShape,
    sigmaData: meta.sigmaData,
    seed: request.seed,
    label: labels,
    numClasses,
    guidance,
    embedsGuidance: meta.network.guidanceEmbedding,
    batchSize: request.n,
  });
  let values: Float32Array;
  try {
    values = (await x.data()) as Float32Array;
  } finally {
    tf.dispose(x);
  }
  const msPerImage = (performance.now() - start) / request.n;
  const [h, w, c] = sampleShape as [number, number, number];
  const size = h * w * c;
  const tiles = Array.from({ length: request.n }, (_, i) =>
    toUint8Image(values.subarray(i * size, (i + 1) * size), [h, w, c]),
  );
  const columns = Math.ceil(Math.sqrt(request.n));
  return { pixels: imageGrid(tiles, { columns }), columns, labels, msPerImage, guidance };
}
