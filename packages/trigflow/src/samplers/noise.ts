// Sampling noise z ~ N(0, σ_d² I) (§3), drawn per sample so that sample i's noise does not depend
// on the batch it is drawn in. Stream key 0 is the starting noise; the consistency sampler re-noises
// before step j with key j.
import { type Rng, randomNormalPerSample, type Shape, type Tensor } from "@scm/backend";
import { TrigflowRangeError } from "../errors.js";
import { checkCount, checkNumber, checkSigmaData } from "../validate.js";

// The tensors `sampleNoise` returned: finite by construction (Box–Muller on the Rng's draws) and
// immutable, so a sampler handed one need not read it back to check it. Per tensor, not a switch:
// any other noise is still checked.
const drawnHere = new WeakSet<Tensor>();

/** True when `noise` is a tensor `sampleNoise` drew (finite by construction). */
export function isSampledNoise(noise: Tensor): boolean {
  return drawnHere.has(noise);
}

/** Where in the random streams a noise draw comes from. */
export interface NoiseKey {
  /** Index of the batch's first sample (default 0). */
  readonly first?: number | undefined;
  /** Stream key: 0 for the starting noise, j for the re-noising before step j (default 0). */
  readonly key?: number | undefined;
}

/**
 * z ~ N(0, σ_d² I) of shape [n, ...sampleShape]; sample i comes from `rng.at(key).at(first + i)`
 * (§3: the noise has the data's standard deviation σ_d).
 */
export function sampleNoise(
  rng: Rng,
  n: number,
  sampleShape: Shape,
  sigmaData: number,
  at: NoiseKey = {},
): Tensor {
  const { first = 0, key = 0 } = at;
  checkCount(n, "n");
  checkSigmaData(sigmaData);
  checkNumber(first, "first", (v) => Number.isSafeInteger(v) && v >= 0, "a non-negative integer");
  checkNumber(key, "key", (v) => Number.isSafeInteger(v) && v >= 0, "a non-negative integer");
  const z = randomNormalPerSample(rng.at(key), n, sampleShape, sigmaData, first);
  drawnHere.add(z);
  return z;
}

/** The sampler's `options.rng`, or an error saying that re-noising needs one. */
export function requireRng(rng: Rng | undefined): Rng {
  if (rng === undefined) {
    throw new TrigflowRangeError("options.rng", rng, "an Rng: consistency sampling re-noises between steps");
  }
  return rng;
}
