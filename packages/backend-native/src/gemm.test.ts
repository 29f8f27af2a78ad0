import { describe, expect, it } from "vitest";
import { loadNativeAddon } from "./load-addon.js";
import { built, data, relError, suite } from "./testing/fixtures.js";

// op(A)·op(B) in float64 from the float32 inputs.
function reference(
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        s += a[transA ? p * m + i : i * k + p]! * b[transB ? j * k + p : p * n + j]!;
      }
      out[i * n + j] = s;
    }
  }
  return out;
}

describe.skipIf(!built)(suite("sgemm"), () => {
  it("matches a float64 product for every transpose, odd sizes, alpha and beta", () => {
    const addon = loadNativeAddon();
    for (const [m, n, k] of [
      [1, 1, 1],
      [7, 5, 3],
      [33, 17, 129],
      [130, 70, 61],
      [3, 300, 200],
    ] as const) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const a = data(m * k, m + k);
          const b = data(k * n, n);
          const c0 = data(m * n, 7);
          const c = c0.slice();
          addon.sgemm(transA, transB, m, n, k, 0.5, a, b, -2, c);
          const ref = reference(a, b, m, n, k, transA, transB).map((v, i) => 0.5 * v - 2 * c0[i]!);
          // float32 accumulation in another order: error grows like sqrt(k)·2^-24 of the scale.
          expect(relError(c, ref)).toBeLessThan(1e-5 * Math.sqrt(k));
        }
      }
    }
  });

  it("returns beta·c for an empty inner dimension", () => {
    const c = Float32Array.of(1, 2, 3, 4);
    loadNativeAddon().sgemm(false, false, 2, 2, 0, 1, new Float32Array(0), new Float32Array(0), 0.5, c);
    expect(Array.from(c)).toEqual([0.5, 1, 1.5, 2]);
  });
});

describe.skipIf(!built)(suite("matmul"), () => {
  it("multiplies each batch entry, cycling the smaller batch as tfjs's cpu kernel does", () => {
    const addon = loadNativeAddon();
    for (const [batchA, batchB, m, n, k] of [
      [3, 3, 5, 4, 6],
      [1, 4, 9, 2, 7],
      [5, 1, 2, 11, 3],
      [2, 2, 150, 140, 130],
      [40, 40, 8, 8, 8],
    ] as const) {
      for (const [transA, transB] of [
        [false, false],
        [true, true],
      ] as const) {
        const a = data(batchA * m * k, 1);
        const b = data(batchB * k * n, 2);
        const batch = Math.max(batchA, batchB);
        const out = new Float32Array(batch * m * n);
        addon.matmul(a, b, out, batchA, batchB, m, n, k, transA, transB);
        for (let i = 0; i < batch; i++) {
          const ai = a.subarray(((i % batchA) * m * k) as number, ((i % batchA) + 1) * m * k);
          const bi = b.subarray((i % batchB) * k * n, ((i % batchB) + 1) * k * n);
          const ref = reference(ai, bi, m, n, k, transA, transB);
          // As above: float32 sums of k products.
          expect(relError(out.subarray(i * m * n, (i + 1) * m * n), ref)).toBeLessThan(1e-5 * Math.sqrt(k));
        }
      }
    }
  });
});
