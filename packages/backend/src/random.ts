// Tensors drawn from an `Rng`: every random tensor in sCM-TS comes through here, so one seed
// reproduces a whole run on any backend.
import { formatShape } from "@scm/errors";
import type { Rng } from "./rng.js";
import { type Shape, type Tensor, tf } from "./tf.js";

function size(shape: Shape): number {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`The shape ${formatShape(shape)} is invalid; expected non-negative integers.`);
    }
  }
  return shape.reduce((a, b) => a * b, 1);
}

/** A float32 tensor of normal draws, N(mean, std²). */
export function randomNormal(rng: Rng, shape: Shape, std = 1, mean = 0): Tensor {
  return tf.tensor(rng.fillNormal(new Float32Array(size(shape)), mean, std), shape, "float32");
}

/** A float32 tensor of uniform draws in [low, high). */
export function randomUniform(rng: Rng, shape: Shape, low = 0, high = 1): Tensor {
  return tf.tensor(rng.fillUniform(new Float32Array(size(shape)), low, high), shape, "float32");
}

/**
 * A batch of normal draws where row i comes from `rng.at(first + i)`: the same sample index gets the
 * same noise whatever the batch size. Shape `[n, ...sampleShape]`.
 */
export function randomNormalPerSample(rng: Rng, n: number, sampleShape: Shape, std = 1, first = 0): Tensor {
  const per = size(sampleShape);
  const out = new Float32Array(size([n]) * per);
  for (let i = 0; i < n; i++) rng.at(first + i).fillNormal(out.subarray(i * per, (i + 1) * per), 0, std);
  return tf.tensor(out, [n, ...sampleShape], "float32");
}
