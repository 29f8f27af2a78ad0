// Improved precision and recall (Kynkäänniemi et al. 2019, "Improved Precision and Recall Metric for
// Assessing Generative Models", §2, Eqs. 1–2): each set's manifold is the union of balls around its
// points with radius the distance to the k-th nearest neighbour in the same set (k = 3 by default);
// precision = the share of generated points inside the real manifold, recall = the share of real
// points inside the generated one. A point on a ball's boundary counts as inside (‖·‖ ≤ radius).
import { checkFinite, checkRank, type NumericNdArray, toFloat64 } from "./arrays.js";
import { gemmNTAccumulate } from "./dense.js";
import { FidInputError } from "./errors.js";

/** Options of `precisionRecall`. */
export interface PrecisionRecallOptions {
  /** The neighbourhood size k (default 3). */
  k?: number;
}

/** Precision and recall in [0, 1]. */
export interface PrecisionRecall {
  /** Share of `fake` rows inside the k-NN manifold of `real`. */
  readonly precision: number;
  /** Share of `real` rows inside the k-NN manifold of `fake`. */
  readonly recall: number;
}

const BLOCK = 256; // rows per distance block: [256, N] float64 at a time, not [N, N]

/** Improved precision/recall of `fake` [M, D] against `real` [N, D] with k-NN manifolds. */
export function precisionRecall(
  real: NumericNdArray,
  fake: NumericNdArray,
  options: PrecisionRecallOptions = {},
): PrecisionRecall {
  const k = options.k ?? 3;
  const [n, d] = checkRank(real, 2, "the real features", "[N, D] features") as [number, number];
  const [m, d2] = checkRank(fake, 2, "the generated features", `[M, ${d}] features`) as [number, number];
  if (d2 !== d) {
    throw new FidInputError(
      "the generated features",
      `the generated features have ${d2} dimensions; expected ${d} as the real ones.`,
    );
  }
  if (!Number.isInteger(k) || k < 1 || k >= Math.min(n, m)) {
    throw new FidInputError(
      "k",
      `k is ${k}; expected an integer in [1, ${Math.min(n, m) - 1}] (each set needs more than k rows).`,
    );
  }
  const x = toFloat64(real);
  const y = toFloat64(fake);
  checkFinite(x, "the real features");
  checkFinite(y, "the generated features");
  const realRadii2 = kthNeighbourDistances2(x, n, d, k);
  const fakeRadii2 = kthNeighbourDistances2(y, m, d, k);
  return {
    precision: shareInside(y, m, x, n, d, realRadii2),
    recall: shareInside(x, n, y, m, d, fakeRadii2),
  };
}

function squaredNorms(x: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j]! ** 2;
    out[i] = s;
  }
  return out;
}

// Squared distances from rows [r0, r0+rows) of `a` to every row of `b`: ‖a‖² + ‖b‖² − 2aᵀb, clamped at 0.
function distanceBlock(
  a: Float64Array,
  aNorms: Float64Array,
  r0: number,
  rows: number,
  b: Float64Array,
  bNorms: Float64Array,
  nb: number,
  d: number,
  out: Float64Array,
): void {
  out.fill(0, 0, rows * nb);
  gemmNTAccumulate(a.subarray(r0 * d, (r0 + rows) * d), b, out, rows, nb, d);
  for (let i = 0; i < rows; i++) {
    const ai = aNorms[r0 + i]!;
    for (let j = 0; j < nb; j++) out[i * nb + j] = Math.max(0, ai + bNorms[j]! - 2 * out[i * nb + j]!);
  }
}

/** The squared distance from each row to its k-th nearest other row of the same [n, d] set. */
export function kthNeighbourDistances2(x: Float64Array, n: number, d: number, k: number): Float64Array {
  const norms = squaredNorms(x, n, d);
  const radii = new Float64Array(n);
  const block = new Float64Array(BLOCK * n);
  const best = new Float64Array(k); // the k smallest so far, ascending
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    const rows = Math.min(BLOCK, n - r0);
    distanceBlock(x, norms, r0, rows, x, norms, n, d, block);
    for (let i = 0; i < rows; i++) {
      best.fill(Number.POSITIVE_INFINITY);
      for (let j = 0; j < n; j++) {
        if (j === r0 + i) continue; // a point is not its own neighbour
        const v = block[i * n + j]!;
        if (v >= best[k - 1]!) continue;
        let p = k - 1;
        while (p > 0 && best[p - 1]! > v) {
          best[p] = best[p - 1]!;
          p--;
        }
        best[p] = v;
      }
      radii[r0 + i] = best[k - 1]!;
    }
  }
  return radii;
}

// The share of rows of `q` within the radius of at least one row of `ref`.
function shareInside(
  q: Float64Array,
  nq: number,
  ref: Float64Array,
  nref: number,
  d: number,
  radii2: Float64Array,
): number {
  const qNorms = squaredNorms(q, nq, d);
  const refNorms = squaredNorms(ref, nref, d);
  const block = new Float64Array(BLOCK * nref);
  let inside = 0;
  for (let r0 = 0; r0 < nq; r0 += BLOCK) {
    const rows = Math.min(BLOCK, nq - r0);
    distanceBlock(q, qNorms, r0, rows, ref, refNorms, nref, d, block);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < nref; j++) {
        if (block[i * nref + j]! <= radii2[j]!) {
          inside++;
          break;
        }
      }
    }
  }
  return inside / nq;
}
