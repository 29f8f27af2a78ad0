// Dense float64 kernels on row-major Float64Arrays: the one matrix product the metrics need,
// C = A·Bᵀ, blocked for cache with a 4×2 register tile (about 2 GFMA/s in V8 on one core).

const KB = 256; // inner-dimension block: 4 + 2 rows of 256 doubles stay in L1
const IB = 64; // rows of A per block
const JB = 64; // rows of B per block

/**
 * Adds A·Bᵀ to C: A is [m, k], B is [n, k], C is [m, n], all row-major. With `lower` (for symmetric
 * products such as XᵀX) the lower triangle j ≤ i is computed and most of the upper one is skipped; a few
 * entries just above the diagonal are accumulated too, so symmetrize with `symmetrizeFromLower` after.
 */
export function gemmNTAccumulate(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  m: number,
  n: number,
  k: number,
  lower = false,
): void {
  for (let p0 = 0; p0 < k; p0 += KB) {
    const p1 = Math.min(k, p0 + KB);
    for (let i0 = 0; i0 < m; i0 += IB) {
      const i1 = Math.min(m, i0 + IB);
      const jEnd = lower ? Math.min(n, i1) : n;
      for (let j0 = 0; j0 < jEnd; j0 += JB) {
        const j1 = Math.min(jEnd, j0 + JB);
        let i = i0;
        for (; i + 3 < i1; i += 4) {
          const a0 = i * k;
          const a1 = a0 + k;
          const a2 = a1 + k;
          const a3 = a2 + k;
          // With `lower`, the tile may run up to 3 columns past row i's diagonal (see the TSDoc).
          const jTile = lower ? Math.min(j1, i + 4) : j1;
          let j = j0;
          for (; j + 1 < jTile; j += 2) {
            const b0 = j * k;
            const b1 = b0 + k;
            let c00 = 0;
            let c01 = 0;
            let c10 = 0;
            let c11 = 0;
            let c20 = 0;
            let c21 = 0;
            let c30 = 0;
            let c31 = 0;
            for (let p = p0; p < p1; p++) {
              const x0 = b[b0 + p]!;
              const x1 = b[b1 + p]!;
              const y0 = a[a0 + p]!;
              const y1 = a[a1 + p]!;
              const y2 = a[a2 + p]!;
              const y3 = a[a3 + p]!;
              c00 += y0 * x0;
              c01 += y0 * x1;
              c10 += y1 * x0;
              c11 += y1 * x1;
              c20 += y2 * x0;
              c21 += y2 * x1;
              c30 += y3 * x0;
              c31 += y3 * x1;
            }
            let o = i * n + j;
            c[o] = c[o]! + c00;
            c[o + 1] = c[o + 1]! + c01;
            o += n;
            c[o] = c[o]! + c10;
            c[o + 1] = c[o + 1]! + c11;
            o += n;
            c[o] = c[o]! + c20;
            c[o + 1] = c[o + 1]! + c21;
            o += n;
            c[o] = c[o]! + c30;
            c[o + 1] = c[o + 1]! + c31;
          }
          for (; j < jTile; j++) {
            const b0 = j * k;
            for (let r = 0; r < 4; r++) {
              const ar = (i + r) * k;
              let s = 0;
              for (let p = p0; p < p1; p++) s += a[ar + p]! * b[b0 + p]!;
              c[(i + r) * n + j] = c[(i + r) * n + j]! + s;
            }
          }
        }
        for (; i < i1; i++) {
          const ar = i * k;
          const jRow = lower ? Math.min(j1, i + 1) : j1;
          for (let j = j0; j < jRow; j++) {
            const b0 = j * k;
            let s = 0;
            for (let p = p0; p < p1; p++) s += a[ar + p]! * b[b0 + p]!;
            c[i * n + j] = c[i * n + j]! + s;
          }
        }
      }
    }
  }
}

/** Copies the lower triangle of the square row-major [n, n] matrix `c` onto its upper triangle. */
export function symmetrizeFromLower(c: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) c[j * n + i] = c[i * n + j]!;
  }
}
