// The fixed MNIST split that @scm/fid's shipped feature network was trained and scored on: digit i of
// each class (in the `mnist` package's order) is held out when i mod 5 = 4, then each part is shuffled
// with a fixed seed (1 for train, 2 for held out) so any prefix mixes all classes. Changing it would
// change which digits the shipped network has seen, so it stays exactly as it was trained.
import { Rng } from "@scm/backend";
import { type Dataset, subsetDataset } from "./dataset.js";
import { DataError } from "./errors.js";
import { sampleWithoutReplacement } from "./permutation.js";

/** Splits MNIST in class order (as `mnistFromDigits` builds it) into @scm/fid's fixed train (8,004) and held-out (1,996) parts, each shuffled. */
export function mnistFidSplit(mnist: Dataset): { train: Dataset; heldOut: Dataset } {
  const labels = mnist.labels;
  if (labels === undefined || mnist.numClasses !== 10) {
    throw new DataError(
      `Dataset "${mnist.name}" has no 10-class labels; expected MNIST as mnistFromDigits builds it.`,
    );
  }
  const train: number[] = [];
  const held: number[] = [];
  const seen = new Array<number>(10).fill(0);
  for (let k = 0; k < mnist.n; k++) {
    const digit = labels[k] as number;
    if (!(digit >= 0 && digit <= 9) || (k > 0 && digit < (labels[k - 1] as number))) {
      throw new DataError(
        `Dataset "${mnist.name}" has label ${digit} at index ${k} (after ${labels[k - 1] ?? "none"}); expected the digits in class order, as mnistFromDigits builds them.`,
        { index: k },
      );
    }
    const i = seen[digit] as number;
    seen[digit] = i + 1;
    (i % 5 === 4 ? held : train).push(k);
  }
  const shuffled = (order: number[], seed: number) =>
    Array.from(
      sampleWithoutReplacement(Rng.seeded(seed), order.length, order.length),
      (r) => order[r] as number,
    );
  return {
    train: subsetDataset(mnist, shuffled(train, 1), mnist.name),
    heldOut: subsetDataset(mnist, shuffled(held, 2), `${mnist.name}-heldout`),
  };
}
