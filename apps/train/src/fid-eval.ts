// FID while training (issue 6: periodic evaluation with @scm/fid): the EMA network's samples against
// the training data, in the feature space of @scm/fid's MNIST feature network — the one feature
// network that runs in seconds on a CPU. Other data: write samples with scm-sample --npy and use scm-fid.
import type { tf } from "@scm/backend";
import { UsageError } from "@scm/cli";
import type { Dataset } from "@scm/data";
import {
  arrayImageSource,
  extractFeatures,
  type FeatureExtractor,
  type FeatureStats,
  featureStats,
  frechetDistance,
  type ImageSource,
  mnistExtractor,
  tensorImageSource,
} from "@scm/fid";
import { loadMnistWeights } from "@scm/fid/node";
import ndarray from "ndarray";

/** Measures FID of sample batches against fixed reference statistics. */
export interface FidEvaluator {
  /** FID of samples [N, 28, 28, 1] (data space, clipped to [−1, 1]) against the reference. */
  fid(samples: tf.Tensor): Promise<number>;
  dispose(): void;
}

async function statsOf(extractor: FeatureExtractor, source: ImageSource): Promise<FeatureStats> {
  return featureStats(await extractFeatures(extractor, source), source.name);
}

/** At most this many training images make the reference statistics (all of the embedded 9,000). */
export const fidReferenceImages = 10_000;

/**
 * An FID evaluator whose reference is up to `fidReferenceImages` training images spread evenly over
 * the dataset (every k-th: the embedded MNIST is sorted by digit, so its first images are all 0s), or
 * a UsageError for non-MNIST data.
 */
export async function createMnistFid(dataset: Dataset): Promise<FidEvaluator> {
  if (JSON.stringify(dataset.sampleShape) !== "[28,28,1]") {
    throw new UsageError(
      `--fid-every measures FID with the MNIST feature network, which takes [28, 28, 1] images; ${dataset.name} has [${dataset.sampleShape.join(", ")}] (use scm-sample --npy and scm-fid instead).`,
    );
  }
  const count = Math.min(fidReferenceImages, dataset.n);
  const stride = Math.floor(dataset.n / count);
  const images = new Float32Array(count * 784);
  for (let i = 0; i < count; i++)
    images.set(dataset.x.subarray(i * stride * 784, (i * stride + 1) * 784), i * 784);
  const extractor = mnistExtractor(await loadMnistWeights());
  const reference = await statsOf(
    extractor,
    arrayImageSource(ndarray(images, [count, 28, 28, 1]), dataset.name),
  );
  return {
    fid: async (samples) =>
      frechetDistance(await statsOf(extractor, await tensorImageSource(samples, "samples")), reference),
    dispose: () => extractor.dispose(),
  };
}
