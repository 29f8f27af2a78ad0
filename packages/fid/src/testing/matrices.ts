// Test helpers: seeded random matrices with known structure, float64, row-major.
import { Rng } from "@scm/backend";

/** A random orthogonal [n, n] matrix: Gram–Schmidt on a seeded Gaussian matrix (rows orthonormal). */
export function randomOrthogonal(n: number, seed: number): Float64Array {
  const q = Rng.seeded(seed).fillNormal(new Float64Array(n * n));
  for (let i = 0; i < n; i++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        let dot = 0;
        for (let k = 0; k < n; k++) dot += q[i * n + k]! * q[j * n + k]!;
        for (let k = 0; k < n; k++) q[i * n + k] = q[i * n + k]! - dot * q[j * n + k]!;
      }
    }
    let norm = 0;
    for (let k = 0; k < n; k++) norm += q[i * n + k]! ** 2;
    norm = Math.sqrt(norm);
    for (let k = 0; k < n; k++) q[i * n + k] = q[i * n + k]! / norm;
  }
  return q;
}

/** Qᵀ·diag(values)·Q for an orthogonal Q given by rows: a symmetric matrix with the given spectrum. */
export function withSpectrum(q: Float64Array, values: ArrayLike<number>, n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[k * n + i]! * values[k]! * q[k * n + j]!;
      a[i * n + j] = s;
      a[j * n + i] = s;
    }
  }
  return a;
}

/** The plain triple-loop product A·B of row-major [m, k] and [k, n] matrices (a reference). */
export function naiveMatmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      c[i * n + j] = s;
    }
  }
  return c;
}

/** The largest absolute entry of a − b. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
