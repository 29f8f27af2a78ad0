// Sliced Wasserstein distance (Rabin et al. 2011; Bonneel et al. 2015, Eq. 1): the p-Wasserstein
// distance averaged over random 1-D projections, SW_p(μ, ν)ᵖ = E_θ W_pᵖ(θ#μ, θ#ν) with θ uniform on
// the sphere. Each 1-D W_p is exact between the empirical distributions: the integral over u ∈ (0, 1)
// of |F⁻¹(u) − G⁻¹(u)|ᵖ, piecewise constant between the breakpoints i/n and j/m. Meant for
// low-dimensional data (2-D toy sets, pixels), where a few hundred directions cover the sphere.
import { Rng } from "@scm/backend";
import { checkFinite, checkRank, type NumericNdArray, toFloat64 } from "./arrays.js";
import { FidInputError } from "./errors.js";

/** Options of `slicedWasserstein`. */
export interface SlicedWassersteinOptions {
  /** The number of random directions (default 256). */
  projections?: number;
  /** The order p ≥ 1 (default 2). */
  p?: number;
  /** The seed of the directions (default 0). */
  seed?: number;
}

/** The sliced p-Wasserstein distance between sample sets [N, D] and [M, D] (sizes may differ). */
export function slicedWasserstein(
  a: NumericNdArray,
  b: NumericNdArray,
  options: SlicedWassersteinOptions = {},
): number {
  const [n, d] = checkRank(a, 2, "the first samples", "[N, D] samples") as [number, number];
  const [m, d2] = checkRank(b, 2, "the second samples", `[M, ${d}] samples`) as [number, number];
  if (d2 !== d)
    throw new FidInputError("the second samples", `the second samples have ${d2} dimensions; expected ${d}.`);
  if (n < 1 || m < 1)
    throw new FidInputError(
      "samples",
      `The sample sets have ${n} and ${m} rows; expected at least one each.`,
    );
  const p = options.p ?? 2;
  const projections = options.projections ?? 256;
  if (!(p >= 1)) throw new FidInputError("p", `p is ${p}; expected p ≥ 1.`);
  if (!Number.isInteger(projections) || projections < 1) {
    throw new FidInputError(
      "projections",
      `The number of projections is ${projections}; expected a positive integer.`,
    );
  }
  const x = toFloat64(a);
  const y = toFloat64(b);
  checkFinite(x, "the first samples");
  checkFinite(y, "the second samples");
  const rng = Rng.seeded(options.seed ?? 0);
  const theta = new Float64Array(d);
  const px = new Float64Array(n);
  const py = new Float64Array(m);
  let total = 0;
  for (let t = 0; t < projections; t++) {
    if (d === 1) theta[0] = 1;
    else randomDirection(rng, theta);
    project(x, n, d, theta, px);
    project(y, m, d, theta, py);
    total += wasserstein1dPow(px, py, p);
  }
  return (total / projections) ** (1 / p);
}

/** W_pᵖ between the empirical distributions of two 1-D samples (sorted copies are made). */
export function wasserstein1dPow(a: Float64Array, b: Float64Array, p: number): number {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  const n = x.length;
  const m = y.length;
  // walk the merged breakpoints i/n, j/m; on each piece F⁻¹ = x[i], G⁻¹ = y[j]
  let i = 0;
  let j = 0;
  let u = 0;
  let sum = 0;
  while (i < n && j < m) {
    const nextX = (i + 1) / n;
    const nextY = (j + 1) / m;
    const next = Math.min(nextX, nextY);
    sum += (next - u) * Math.abs(x[i]! - y[j]!) ** p;
    u = next;
    // advance whichever quantile piece ended (both when they end together: i·m = j·n exactly)
    const endX = (i + 1) * m <= (j + 1) * n;
    const endY = (j + 1) * n <= (i + 1) * m;
    if (endX) i++;
    if (endY) j++;
  }
  return sum;
}

function randomDirection(rng: Rng, out: Float64Array): void {
  let norm = 0;
  while (norm === 0) {
    rng.fillNormal(out);
    norm = Math.hypot(...out);
  }
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / norm;
}

function project(x: Float64Array, n: number, d: number, theta: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j]! * theta[j]!;
    out[i] = s;
  }
}
