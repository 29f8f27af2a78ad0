// A seeded, resumable batch sampler: each epoch is a fresh permutation drawn from an Rng; batches
// always hold `batchSize` samples and run on into the next epoch, so every sample is seen once per
// epoch. Its state is three numbers and an RngState, so a resumed run draws exactly the same batches.
import { Rng, type RngState, type Tensor, tf } from "@scm/backend";
import { type Dataset, sampleSize } from "./dataset.js";
import { DataError } from "./errors.js";
import { permutation } from "./permutation.js";

/** Where a sampler stands: the epoch, the position in its permutation, and the Rng state the permutation was drawn from. */
export interface SamplerState {
  /** Epochs completed before the current one (0 in the first). */
  epoch: number;
  /** Samples of the current epoch's permutation already drawn (0..n-1). */
  position: number;
  /** The Rng state just before the current epoch's permutation was drawn. */
  rngState: RngState;
}

/** One batch on the host. */
export interface Batch {
  /** The samples, float32 [batchSize, ...sampleShape] in C order. */
  x: Float32Array;
  /** [batchSize, ...sampleShape]. */
  shape: number[];
  /** The labels, when the dataset has them. */
  labels?: Int32Array;
  /** The dataset indices of the samples. */
  indices: Int32Array;
}

/** One batch as tensors (the caller disposes them). */
export interface TensorBatch {
  /** [batchSize, ...sampleShape] float32. */
  x: Tensor;
  /** [batchSize] int32, when the dataset has labels. */
  labels?: Tensor;
}

/** Options for `BatchSampler`. */
export interface BatchSamplerOptions {
  /** Samples per batch (a positive integer; may exceed the dataset size). */
  batchSize: number;
  /** Seed of the shuffles (default 0); ignored when `state` is given. */
  seed?: number;
  /** A state saved by `state()`, to resume exactly where it was taken. */
  state?: SamplerState;
}

/** Draws shuffled batches from a dataset, reproducibly for a seed, and resumable from `state()`. */
export class BatchSampler {
  /** The dataset batches are drawn from. */
  readonly dataset: Dataset;
  /** Samples per batch. */
  readonly batchSize: number;
  private rng: Rng;
  private epochStart: RngState;
  private perm: Int32Array;
  private epochIndex: number;
  private position: number;

  constructor(dataset: Dataset, options: BatchSamplerOptions) {
    const { batchSize } = options;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new DataError(`batchSize is ${batchSize}; expected a positive integer.`);
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    const s = options.state;
    if (s !== undefined) {
      if (
        !Number.isSafeInteger(s.epoch) ||
        s.epoch < 0 ||
        !Number.isSafeInteger(s.position) ||
        s.position < 0 ||
        s.position >= dataset.n
      ) {
        throw new DataError(
          `The sampler state has epoch ${s.epoch} and position ${s.position}; expected an epoch ≥ 0 and a position in 0..${dataset.n - 1} for dataset "${dataset.name}".`,
        );
      }
      this.rng = Rng.fromState(s.rngState);
      this.epochIndex = s.epoch;
      this.position = s.position;
    } else {
      this.rng = Rng.seeded(options.seed ?? 0);
      this.epochIndex = 0;
      this.position = 0;
    }
    this.epochStart = this.rng.state();
    this.perm = permutation(dataset.n, this.rng);
  }

  /** The state to save with a checkpoint; `new BatchSampler(ds, { batchSize, state })` continues from it. */
  state(): SamplerState {
    return { epoch: this.epochIndex, position: this.position, rngState: this.epochStart };
  }

  /** Epochs completed so far. */
  get epoch(): number {
    return this.epochIndex;
  }

  /** The next `batchSize` dataset indices, moving into a new epoch (a new permutation) when this one runs out. */
  nextIndices(): Int32Array {
    const out = new Int32Array(this.batchSize);
    for (let i = 0; i < this.batchSize; i++) {
      out[i] = this.perm[this.position] as number;
      this.position++;
      if (this.position === this.dataset.n) {
        this.epochIndex++;
        this.position = 0;
        this.epochStart = this.rng.state();
        this.perm = permutation(this.dataset.n, this.rng);
      }
    }
    return out;
  }

  /** The next batch on the host. */
  next(): Batch {
    const ds = this.dataset;
    const indices = this.nextIndices();
    const size = sampleSize(ds.sampleShape);
    const x = new Float32Array(this.batchSize * size);
    for (let i = 0; i < indices.length; i++) {
      const j = indices[i] as number;
      x.set(ds.x.subarray(j * size, (j + 1) * size), i * size);
    }
    const batch: Batch = { x, shape: [this.batchSize, ...ds.sampleShape], indices };
    if (ds.labels !== undefined) {
      const labels = new Int32Array(this.batchSize);
      for (let i = 0; i < indices.length; i++) labels[i] = ds.labels[indices[i] as number] as number;
      batch.labels = labels;
    }
    return batch;
  }

  /** The next batch as fresh tensors: x [batchSize, ...sampleShape] float32 and labels [batchSize] int32. */
  nextTensors(): TensorBatch {
    const b = this.next();
    const x = tf.tensor(b.x, b.shape, "float32");
    return b.labels === undefined ? { x } : { x, labels: tf.tensor1d(b.labels, "int32") };
  }
}
