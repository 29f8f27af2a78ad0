// Test inputs for checks by finite differences: values kept away from the kinks of piecewise ops.
import { type Rng, type Shape, type Tensor, tf } from "@scm/backend";

/** Normal draws pushed `margin` away from 0: sign(n)·(|n| + margin), so a step of h < margin never crosses 0. */
export function randomAwayFromZero(rng: Rng, shape: Shape, margin = 0.25): Tensor {
  const n = rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1)));
  for (let i = 0; i < n.length; i++) n[i] = Math.sign(n[i]!) * (Math.abs(n[i]!) + margin);
  return tf.tensor(n, shape, "float32");
}

/** A random permutation of 0, gap, 2·gap, … shaped `shape`: distinct values, so no ties within a step. */
export function randomDistinct(rng: Rng, shape: Shape, gap = 0.3): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const v = Float32Array.from({ length: size }, (_, i) => (i - size / 2) * gap);
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [v[i], v[j]] = [v[j]!, v[i]!];
  }
  return tf.tensor(v, shape, "float32");
}

/**
 * Tolerances of the checks, with their reasons:
 * - finiteDifference 1e-3: Richardson central differences in float32 at h = 1e-2 carry rounding
 *   ≈ 3·2⁻²⁴·|f|/(h·|J·v|) ≈ 2e-5 for O(1) values and truncation O(h⁴); 1e-3 leaves margin for
 *   curvature and cancellation, and a wrong rule scores ≥ 1e-1.
 * - dotProduct 1e-5: both sides are exact up to float32 rounding (2⁻²⁴ ≈ 6e-8 per op, growing with
 *   depth and summation length); normalised by ‖u‖‖J·v‖ + ‖Jᵀu‖‖v‖.
 */
export const jvpTolerances = { finiteDifference: 1e-3, dotProduct: 1e-5 } as const;
