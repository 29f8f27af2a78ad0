// Summary statistics of a dataset, to check the data std against σ_d (the paper assumes σ_d = 0.5).
import { type Dataset, sampleSize } from "./dataset.js";

/** Mean, std, min and max of a dataset, over all values and per channel (the last axis of a sample). */
export interface DataStats {
  /** Mean over all values. */
  mean: number;
  /** Population std over all values (the number to compare with σ_d). */
  std: number;
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
  /** Mean of each channel (last sample axis): per pixel channel for images, per dimension for [D] data. */
  channelMean: number[];
  /** Population std of each channel. */
  channelStd: number[];
}

/** Mean, std (population, float64 sums), min and max of a dataset, overall and per channel. */
export function datasetStats(ds: Dataset): DataStats {
  const c = ds.sampleShape[ds.sampleShape.length - 1] ?? 1;
  const count = ds.n * (sampleSize(ds.sampleShape) / c); // values per channel
  const sum = new Float64Array(c);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < ds.x.length; i++) {
    const v = ds.x[i] as number;
    sum[i % c]! += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const channelMean = Array.from(sum, (s) => s / count);
  // two passes: the centred sum of squares loses no precision to cancellation
  const ss = new Float64Array(c);
  let total = 0;
  for (const s of sum) total += s;
  const mean = total / ds.x.length;
  let ssAll = 0;
  for (let i = 0; i < ds.x.length; i++) {
    const v = ds.x[i] as number;
    const d = v - (channelMean[i % c] as number);
    ss[i % c]! += d * d;
    ssAll += (v - mean) * (v - mean);
  }
  return {
    mean,
    std: Math.sqrt(ssAll / ds.x.length),
    min,
    max,
    channelMean,
    channelStd: Array.from(ss, (s) => Math.sqrt(s / count)),
  };
}
