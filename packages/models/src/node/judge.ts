// How good a model's MNIST samples are, by @scm/fid's MNIST feature network: FID and KID against the
// 8,004 training digits of the network's own split (`loadMnist({ split: "fid" })`), and the share of
// class-conditional samples its classifier reads as the digit asked for. docs/results.md, the model
// cards and the quality test all measure with this one judge.
import type { tf } from "@scm/backend";
import { loadMnist } from "@scm/data/node";
import {
  arrayImageSource,
  extractFeatures,
  type FeatureStats,
  featureStats,
  frechetDistance,
  kernelInceptionDistance,
  type MnistParams,
  mnistExtractor,
  mnistPredict,
  tensorImageSource,
} from "@scm/fid";
import { loadMnistWeights } from "@scm/fid/node";
import type { NdArray } from "@scm/io";
import ndarray from "ndarray";

/** The measured quality of a set of samples. */
export interface SampleQuality {
  readonly n: number;
  /** FID in MNIST features (Heusel et al. 2017) against the reference digits. */
  readonly fid: number;
  /** KID (Bińkowski et al. 2018): mean and std over subsets, in MNIST features. */
  readonly kid: number;
  readonly kidStd: number;
  /** Share of samples the classifier reads as their requested digit (when labels are given). */
  readonly accuracy?: number | undefined;
}

/** Judges [N, 28, 28, 1] samples in [−1, 1]; frees its networks with `dispose`. */
export interface MnistJudge {
  judge(samples: tf.Tensor4D, labels?: readonly number[]): Promise<SampleQuality>;
  /** Share of `samples` classified as `labels`. */
  accuracy(samples: tf.Tensor4D, labels: readonly number[]): number;
  dispose(): void;
}

function accuracyOf(params: MnistParams, samples: tf.Tensor4D, labels: readonly number[]): number {
  const predicted = mnistPredict(params, samples);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
}

/** The judge, with the reference features of the 8,004 training digits of the "fid" split. */
export async function createMnistJudge(): Promise<MnistJudge> {
  const params = await loadMnistWeights();
  const extractor = mnistExtractor(params);
  const train = await loadMnist({ part: "train", split: "fid" });
  const referenceFeatures = await extractFeatures(
    extractor,
    arrayImageSource(ndarray(train.x, [train.n, 28, 28, 1]) as NdArray, "the MNIST reference digits"),
  );
  const reference: FeatureStats = featureStats(referenceFeatures, "the MNIST reference digits");
  return {
    async judge(samples, labels) {
      const features = await extractFeatures(extractor, await tensorImageSource(samples));
      const kid = kernelInceptionDistance(features, referenceFeatures);
      return {
        n: samples.shape[0],
        fid: frechetDistance(featureStats(features, "the samples"), reference),
        kid: kid.mean,
        kidStd: kid.std,
        accuracy: labels === undefined ? undefined : accuracyOf(params, samples, labels),
      };
    },
    accuracy: (samples, labels) => accuracyOf(params, samples, labels),
    dispose: () => extractor.dispose(),
  };
}
