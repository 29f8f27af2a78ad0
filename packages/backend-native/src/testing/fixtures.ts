// Shared by this package's tests: deterministic data, the error measure, and the skip label for
// machines without the compiled addon.
import { packConvGeometry } from "../conv-geometry.js";
import { isNativeAddonBuilt } from "../load-addon.js";

/** Whether the addon is built here (the suites skip otherwise). */
export const built = isNativeAddonBuilt();

/** A suite name, marked as skipped and why when the addon is not built. */
export function suite(name: string): string {
  return built ? name : `${name} [skipped: the native addon is not built here]`;
}

/**
 * n deterministic values in [−scale, scale) (a sine hash: this package sits below @scm/backend and
 * its Rng).
 */
export function data(n: number, seed: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => {
    const s = Math.sin(i * 12.9898 + seed * 78.233) * 43758.5453;
    return scale * (2 * (s - Math.floor(s)) - 1);
  });
}

/** max |got − ref| / max |ref|: the error relative to the reference's scale. */
export function relError(got: ArrayLike<number>, ref: ArrayLike<number>): number {
  let err = 0;
  let scale = 1e-30;
  for (let i = 0; i < ref.length; i++) {
    err = Math.max(err, Math.abs(got[i]! - ref[i]!));
    scale = Math.max(scale, Math.abs(ref[i]!));
  }
  return err / scale;
}

/**
 * The first `max` of the indices 0..n−1 where `ok` fails, each described by `show`: a whole array is
 * checked in one assertion (`expect(mismatches(...)).toEqual([])`) instead of one `expect` per
 * element, which costs more than the kernel under test and times out on a loaded machine.
 */
export function mismatches(
  n: number,
  ok: (i: number) => boolean,
  show: (i: number) => string,
  max = 5,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < n && out.length < max; i++) if (!ok(i)) out.push(show(i));
  return out;
}

/** A 3×3, stride-1, 'same' convolution of [batch, size, size, inC] to outC channels, packed. */
export function same3x3(batch: number, size: number, inC: number, outC: number): Int32Array {
  return packConvGeometry({
    batch,
    inHeight: size,
    inWidth: size,
    inChannels: inC,
    outHeight: size,
    outWidth: size,
    outChannels: outC,
    filterHeight: 3,
    filterWidth: 3,
    strideHeight: 1,
    strideWidth: 1,
    dilationHeight: 1,
    dilationWidth: 1,
    padTop: 1,
    padLeft: 1,
  });
}

/**
 * A stream of test inputs: each call gives `shape`'s worth of fresh `data` values in [−scale, scale)
 * (this package's tests of the tfjs kernels draw from it where @scm/backend's would use an Rng).
 */
export function draws(seed: number): (shape: readonly number[], scale?: number) => Float32Array {
  let k = 0;
  return (shape, scale = 1) =>
    data(
      shape.reduce((a, b) => a * b, 1),
      seed * 1000 + k++,
      scale,
    );
}
