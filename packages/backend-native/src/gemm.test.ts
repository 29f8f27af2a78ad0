import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadNativeAddon, nativeAddonPath } from "./load-addon.js";
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

// The products gemm_avx512.c takes (alpha 1, beta 0 or 1, B untransposed): every tile height and width,
// masked last columns, several 64-column panels, wide B (copied into panels), both layouts of A.
describe.skipIf(!built)(suite("sgemm: the AVX-512 kernel's products"), () => {
  it("matches a float64 product for every tile shape, beta 0 overwriting NaN and beta 1 adding", () => {
    const addon = loadNativeAddon();
    const failures: string[] = [];
    const shapes: [number, number, number][] = [];
    for (const m of [1, 5, 6, 7, 8, 12, 13, 50])
      for (const n of [1, 15, 16, 17, 33, 48, 63, 64, 65, 130])
        for (const k of [1, 37]) shapes.push([m, n, k]);
    shapes.push([60, 200, 70], [49, 128, 9]); // B at least 128 wide with 48+ rows: packed panels
    for (const [m, n, k] of shapes) {
      for (const transA of [false, true]) {
        for (const beta of [0, 1]) {
          const a = data(m * k, m + 3 * k);
          const b = data(k * n, n + 1);
          const c0 = beta === 0 ? new Float32Array(m * n).fill(Number.NaN) : data(m * n, 5);
          const c = c0.slice();
          addon.sgemm(transA, false, m, n, k, 1, a, b, beta, c);
          const ref = reference(a, b, m, n, k, transA, false).map((v, i) => (beta === 0 ? v : v + c0[i]!));
          const err = relError(c, ref);
          if (!(err < 1e-5 * Math.sqrt(k)))
            failures.push(`${m}x${n}x${k} transA ${transA} beta ${beta}: ${err}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("runs on AVX-512 CPUs unless SCM_NATIVE_GEMM=blas, and on the BLAS elsewhere", () => {
    const avx512 =
      process.platform === "linux" && /^flags\s*:.*\bavx512f\b/m.test(readFileSync("/proc/cpuinfo", "utf8"));
    if (process.env["SCM_NATIVE_GEMM"] !== "blas")
      expect(loadNativeAddon().info().gemm).toBe(avx512 ? "avx512" : "blas");
    // The choice is made when the addon loads, so the forced one is seen in a fresh process.
    const script = `console.log(require(${JSON.stringify(nativeAddonPath())}).info().gemm)`;
    const forced = execFileSync(process.execPath, ["-e", script], {
      env: { ...process.env, SCM_NATIVE_GEMM: "blas" },
      encoding: "utf8",
    });
    expect(forced.trim()).toBe("blas");
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
