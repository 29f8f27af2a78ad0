// FID statistics files: numpy `.npz` archives with float64 `mu` [D] and `sigma` [D, D], the layout
// pytorch-fid writes (`np.savez(path, mu=mu, sigma=sigma)`) and clean-fid / torch-fidelity read.

import { formatShape } from "@scm/errors";
import { decodeNpz, encodeNpz, type NdArray } from "@scm/io";
import { checkFinite, float64NdArray, toFloat64 } from "./arrays.js";
import { FidInputError } from "./errors.js";
import type { FeatureStats } from "./feature-stats.js";
import type { GaussianStats } from "./frechet-distance.js";

/** Encodes statistics as `.npz` bytes with float64 `mu` and `sigma` (other dtypes are widened). */
export function encodeStatsNpz(stats: GaussianStats | FeatureStats): Uint8Array {
  const mu = toFloat64(stats.mu);
  const sigma = toFloat64(stats.sigma);
  const d = mu.length;
  if (stats.mu.shape.length !== 1 || stats.sigma.shape.join(",") !== `${d},${d}`) {
    throw new FidInputError(
      "stats",
      `The statistics have mu ${formatShape(stats.mu.shape)} and sigma ${formatShape(stats.sigma.shape)}; expected [D] and [D, D].`,
    );
  }
  return encodeNpz({ mu: float64NdArray(mu, [d]), sigma: float64NdArray(sigma, [d, d]) });
}

/** Decodes `.npz` statistics (`mu` [D], `sigma` [D, D], any float dtype) to float64; `source` names the input. */
export function decodeStatsNpz(bytes: Uint8Array, source = "the statistics file"): FeatureStats {
  const record = decodeNpz(bytes);
  const mu = record["mu"];
  const sigma = record["sigma"];
  if (mu === undefined || sigma === undefined) {
    throw new FidInputError(
      source,
      `${source} holds [${Object.keys(record).join(", ")}]; expected the arrays "mu" and "sigma".`,
    );
  }
  const d = mu.shape[0] ?? 0;
  if (mu.shape.length !== 1 || sigma.shape.length !== 2 || sigma.shape[0] !== d || sigma.shape[1] !== d) {
    throw new FidInputError(
      source,
      `${source} has mu ${formatShape(mu.shape)} and sigma ${formatShape(sigma.shape)}; expected [D] and [D, D].`,
    );
  }
  if ([mu, sigma].some((a) => a.data instanceof BigInt64Array || a.data instanceof BigUint64Array)) {
    throw new FidInputError(source, `${source} stores mu/sigma as 64-bit integers; expected floating point.`);
  }
  const muData = toFloat64(mu as NdArray<Float64Array>);
  const sigmaData = toFloat64(sigma as NdArray<Float64Array>);
  checkFinite(muData, `${source}: mu`);
  checkFinite(sigmaData, `${source}: sigma`);
  return { mu: float64NdArray(muData, [d]), sigma: float64NdArray(sigmaData, [d, d]) };
}
