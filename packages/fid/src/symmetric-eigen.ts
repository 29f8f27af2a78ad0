// Symmetric eigendecomposition in float64: Householder reduction to tridiagonal form, then the
// implicit QL algorithm with Wilkinson shifts (Golub & Van Loan, Matrix Computations, 4th ed.,
// §8.3.1 and §8.3.5; Wilkinson & Reinsch, Handbook vol. II, "tred2"/"tql2"). Written for row-major
// Float64Arrays: every inner loop runs along a contiguous row.

/** The eigenvalues (ascending) and, when asked, the eigenvectors of a symmetric matrix. */
export interface SymmetricEigen {
  /** Eigenvalues in ascending order, [n]. */
  readonly values: Float64Array;
  /** Eigenvectors as rows: row j (`vectors[j*n .. j*n+n]`) belongs to `values[j]`; [n, n]. */
  readonly vectors: Float64Array | undefined;
}

/** Options of `symmetricEigen`. */
export interface SymmetricEigenOptions {
  /** Also compute the eigenvectors (about 3× the work of the eigenvalues alone). Default false. */
  vectors?: boolean;
}

const MAX_QL_ITERATIONS = 64;

/**
 * Eigenvalues (and optionally eigenvectors) of the symmetric [n, n] row-major matrix `a`; only its
 * lower triangle is read and `a` is not modified. A = Vᵀ·diag(values)·V with V's rows the eigenvectors.
 */
export function symmetricEigen(
  a: Float64Array,
  n: number,
  options: SymmetricEigenOptions = {},
): SymmetricEigen {
  if (!Number.isInteger(n) || n < 0 || a.length < n * n) {
    throw new RangeError(`The matrix has ${a.length} entries for n = ${n}; expected n*n entries.`);
  }
  const wantVectors = options.vectors ?? false;
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) w.set(a.subarray(i * n, i * n + i + 1), i * n);
  const d = new Float64Array(n);
  const e = new Float64Array(n); // e[i] couples rows i and i+1; e[n-1] = 0
  const tau = tridiagonalize(w, n, d, e);
  const z = wantVectors ? householderProductTransposed(w, tau, n) : undefined;
  implicitQL(d, e, n, z);
  return sortAscending(d, z, n);
}

// Householder reduction A = Q·T·Qᵀ on the lower triangle of `w` (in place); the reflector of step k,
// v (entries k+1..n-1), is left in row k's unused upper part, and its factor τ (H = I − τ·v·vᵀ) returned.
function tridiagonalize(w: Float64Array, n: number, d: Float64Array, e: Float64Array): Float64Array {
  const tau = new Float64Array(Math.max(n, 1));
  const p = new Float64Array(n);
  for (let k = 0; k + 2 < n; k++) {
    const k1 = k + 1;
    // x = column k below the diagonal (lower triangle: row i, column k).
    let sigma2 = 0;
    for (let i = k1; i < n; i++) sigma2 += w[i * n + k]! ** 2;
    const x0 = w[k1 * n + k]!;
    const tail2 = sigma2 - x0 * x0;
    d[k] = w[k * n + k]!;
    if (tail2 <= 0) {
      // already tridiagonal in this column: H = I
      e[k] = x0;
      tau[k] = 0;
      continue;
    }
    const sigma = Math.sqrt(sigma2);
    const alpha = x0 >= 0 ? -sigma : sigma; // H·x = alpha·e1, sign chosen to avoid cancellation
    const row = k * n; // v lives in w[row + k1 .. row + n)
    w[row + k1] = x0 - alpha;
    for (let i = k1 + 1; i < n; i++) w[row + i] = w[i * n + k]!;
    const t = 1 / (sigma2 - x0 * alpha); // τ = 2 / vᵀv, vᵀv = 2(σ² − x0·α)
    tau[k] = t;
    e[k] = alpha;
    // p = τ·B·v over the lower triangle of the trailing block B (one pass, each entry used twice).
    p.fill(0, k1, n);
    for (let i = k1; i < n; i++) {
      const ri = i * n;
      const vi = w[row + i]!;
      let s = 0;
      for (let j = k1; j < i; j++) {
        const b = w[ri + j]!;
        s += b * w[row + j]!;
        p[j] = p[j]! + b * vi;
      }
      p[i] = p[i]! + s + w[ri + i]! * vi;
    }
    let vp = 0;
    for (let i = k1; i < n; i++) {
      p[i] = p[i]! * t;
      vp += p[i]! * w[row + i]!;
    }
    const kk = 0.5 * t * vp;
    for (let i = k1; i < n; i++) p[i] = p[i]! - kk * w[row + i]!; // p now holds w = p − K·v
    // B ← B − v·wᵀ − w·vᵀ (lower triangle)
    for (let i = k1; i < n; i++) {
      const ri = i * n;
      const vi = w[row + i]!;
      const pi = p[i]!;
      for (let j = k1; j <= i; j++) w[ri + j] = w[ri + j]! - vi * p[j]! - pi * w[row + j]!;
    }
  }
  if (n >= 2) {
    d[n - 2] = w[(n - 2) * n + n - 2]!;
    e[n - 2] = w[(n - 1) * n + n - 2]!;
  }
  if (n >= 1) d[n - 1] = w[(n - 1) * n + n - 1]!;
  e[Math.max(n - 1, 0)] = 0;
  return tau;
}

// Qᵀ = H_{n-3}···H_0, accumulated backward so each step touches only the trailing block, row by row.
function householderProductTransposed(w: Float64Array, tau: Float64Array, n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  for (let k = n - 3; k >= 0; k--) {
    const t = tau[k]!;
    if (t === 0) continue;
    const row = k * n;
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      let s0 = 0;
      let s1 = 0;
      let j = k + 1;
      for (; j + 1 < n; j += 2) {
        s0 += m[ri + j]! * w[row + j]!;
        s1 += m[ri + j + 1]! * w[row + j + 1]!;
      }
      if (j < n) s0 += m[ri + j]! * w[row + j]!;
      const s = (s0 + s1) * t;
      if (s === 0) continue;
      for (let j = k + 1; j < n; j++) m[ri + j] = m[ri + j]! - s * w[row + j]!;
    }
  }
  return m;
}

// Implicit QL with Wilkinson shifts on the tridiagonal (d, e); rotations are applied to the rows of
// `z` (which starts as Qᵀ and ends as Vᵀ: eigenvectors as rows). The rotations never feed back into
// (d, e), so they are recorded and applied in batches, column panel by column panel: one panel of z
// stays in cache across thousands of rotations instead of z streaming from memory once per sweep.
function implicitQL(d: Float64Array, e: Float64Array, n: number, z: Float64Array | undefined): void {
  const rotations = z === undefined ? undefined : new RotationBuffer(z, n);
  // Deflate when |e[m]| ≤ ε·‖T‖ (EISPACK tql2's test against the running norm): the Householder step
  // is only normwise backward stable, so eigenvalues near 0 carry errors of order ε·‖A‖ anyway, and a
  // test relative to |d[m]| + |d[m+1]| never passes inside a cluster of rounding-level eigenvalues
  // (a singular covariance), where every sweep stirs up noise of order ε·‖T‖.
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]!) + Math.abs(e[i]!));
  const threshold = Number.EPSILON * norm + Number.MIN_VALUE;
  for (let l = 0; l < n; l++) {
    let iterations = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        if (Math.abs(e[m]!) <= threshold) break;
      }
      if (m === l) break;
      if (++iterations > MAX_QL_ITERATIONS) {
        throw new Error(`The QL iteration did not converge for eigenvalue ${l} of ${n}.`);
      }
      // Wilkinson shift from the leading 2×2 block.
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] = d[i + 1]! - p;
          e[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        if (rotations !== undefined) rotations.push(i, c, s);
      }
      if (underflow) continue;
      d[l] = d[l]! - p;
      e[l] = g;
      e[m] = 0;
    }
  }
  rotations?.flush();
}

const ROTATION_BATCH = 1 << 19; // rotations recorded before they are applied (12 MiB)
const PANEL = 128; // columns of z per panel: n × 128 doubles (2 MiB at n = 2048) stay in L2/L3

// Plane rotations (i, c, s) acting on rows i and i+1 of z: row' i+1 = s·zᵢ + c·zᵢ₊₁, row' i = c·zᵢ − s·zᵢ₊₁.
class RotationBuffer {
  private readonly index = new Int32Array(ROTATION_BATCH);
  private readonly cs = new Float64Array(2 * ROTATION_BATCH);
  private count = 0;

  constructor(
    private readonly z: Float64Array,
    private readonly n: number,
  ) {}

  push(i: number, c: number, s: number): void {
    this.index[this.count] = i;
    this.cs[2 * this.count] = c;
    this.cs[2 * this.count + 1] = s;
    if (++this.count === ROTATION_BATCH) this.flush();
  }

  flush(): void {
    const { z, n, index, cs, count } = this;
    for (let k0 = 0; k0 < n; k0 += PANEL) {
      const k1 = Math.min(n, k0 + PANEL);
      let r = 0;
      while (r < count) {
        const i = index[r]!;
        const c = cs[2 * r]!;
        const s = cs[2 * r + 1]!;
        if (r + 1 < count && index[r + 1] === i - 1) {
          // A QL sweep rotates (i, i+1) then (i−1, i): apply both in one pass over three rows.
          const c2 = cs[2 * r + 2]!;
          const s2 = cs[2 * r + 3]!;
          const r1 = i * n;
          const r2 = r1 + n;
          const r0 = r1 - n;
          for (let k = k0; k < k1; k++) {
            const a = z[r1 + k]!;
            const b = z[r2 + k]!;
            z[r2 + k] = s * a + c * b;
            const a2 = c * a - s * b;
            const q = z[r0 + k]!;
            z[r1 + k] = s2 * q + c2 * a2;
            z[r0 + k] = c2 * q - s2 * a2;
          }
          r += 2;
        } else {
          const ri = i * n;
          const ri1 = ri + n;
          for (let k = k0; k < k1; k++) {
            const zi = z[ri + k]!;
            const zi1 = z[ri1 + k]!;
            z[ri1 + k] = s * zi + c * zi1;
            z[ri + k] = c * zi - s * zi1;
          }
          r++;
        }
      }
    }
    this.count = 0;
  }
}

function sortAscending(d: Float64Array, z: Float64Array | undefined, n: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[i]! - d[j]!);
  const values = Float64Array.from(order, (i) => d[i]!);
  if (z === undefined) return { values, vectors: undefined };
  const vectors = new Float64Array(n * n);
  for (let dst = 0; dst < n; dst++) vectors.set(z.subarray(order[dst]! * n, order[dst]! * n + n), dst * n);
  return { values, vectors };
}
