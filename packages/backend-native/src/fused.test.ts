import { describe, expect, it } from "vitest";
import { loadNativeAddon } from "./load-addon.js";
import { built, data, mismatches, suite } from "./testing/fixtures.js";

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

describe.skipIf(!built)(suite("fused SiLU"), () => {
  it("matches x·σ(x) and its derivative dy·(σ + x·σ·(1 − σ)) in float64", () => {
    const addon = loadNativeAddon();
    for (const n of [1, 7, 70_001]) {
      const x = data(n, n, 8);
      const dy = data(n, n + 1);
      const y = new Float32Array(n);
      const dx = new Float32Array(n);
      addon.silu(x, y);
      addon.siluGrad(x, dy, dx);
      const yRef = Float64Array.from(x, (v) => v * sigmoid(v));
      const dxRef = Float64Array.from(x, (v, i) => dy[i]! * (sigmoid(v) + v * sigmoid(v) * (1 - sigmoid(v))));
      // expf within 2 ulp and three float32 roundings: 1e-6 of the value (absolute near 0).
      const yOk = (i: number) => Math.abs(y[i]! - yRef[i]!) <= 1e-6 * Math.abs(x[i]!) + 1e-30;
      const dxOk = (i: number) =>
        Math.abs(dx[i]! - dxRef[i]!) <= 1e-6 * (Math.abs(dy[i]!) * (1 + Math.abs(x[i]!)));
      expect(mismatches(n, yOk, (i) => `y[${i}] ${y[i]} vs ${yRef[i]}`)).toEqual([]);
      expect(mismatches(n, dxOk, (i) => `dx[${i}] ${dx[i]} vs ${dxRef[i]}`)).toEqual([]);
    }
  });
});

describe.skipIf(!built)(suite("fused standardize"), () => {
  it("matches (x − μ)/√(σ² + ε) and its gradient over the N and K axes of [B, N, G, K], in float64", () => {
    const addon = loadNativeAddon();
    for (const [b, n, g, k] of [
      [1, 1, 1, 1],
      [2, 15, 4, 6], // GroupNorm: [batch, H·W, groups, C/groups]
      [9, 1, 1, 33], // LayerNorm rows
      [3, 5, 6, 1], // kept trailing axis
      [5, 49, 8, 8],
    ] as const) {
      const size = b * n * g * k;
      // Offset 5, scale 3: where a one-pass variance would lose digits.
      const x = data(size, size, 3).map((v) => v + 5);
      const dy = data(size, size + 1);
      const y = new Float32Array(size);
      const rstd = new Float32Array(b * g);
      const dx = new Float32Array(size);
      const eps = 1e-5;
      addon.standardize(x, y, rstd, b, n, g, k, eps);
      addon.standardizeGrad(dy, y, rstd, dx, b, n, g, k);
      const count = n * k;
      const bad: string[] = [];
      for (let bi = 0; bi < b; bi++) {
        for (let gi = 0; gi < g; gi++) {
          const idx: number[] = [];
          for (let ni = 0; ni < n; ni++)
            for (let ki = 0; ki < k; ki++) idx.push(((bi * n + ni) * g + gi) * k + ki);
          const m = idx.reduce((s, i) => s + x[i]!, 0) / count;
          const variance = idx.reduce((s, i) => s + (x[i]! - m) ** 2, 0) / count;
          const r = 1 / Math.sqrt(variance + eps);
          if (!(Math.abs(rstd[bi * g + gi]! - r) <= 1e-6 * r))
            bad.push(`rstd ${[b, n, g, k]} [${bi * g + gi}] ${rstd[bi * g + gi]} vs ${r}`);
          const yr = idx.map((i) => (x[i]! - m) * r);
          const mdy = idx.reduce((s, i) => s + dy[i]!, 0) / count;
          const mdyy = idx.reduce((s, i, j) => s + dy[i]! * yr[j]!, 0) / count;
          // float32 x − μ against |x − μ| ≲ 10: a few 2^-24 of |x|·r.
          const yOk = (j: number) => Math.abs(y[idx[j]!]! - yr[j]!) <= 4e-6 * (Math.abs(x[idx[j]!]!) * r);
          const dxRef = (j: number) => r * (dy[idx[j]!]! - mdy - yr[j]! * mdyy);
          const dxOk = (j: number) => {
            const i = idx[j]!;
            const scale = r * (Math.abs(dy[i]!) + Math.abs(mdy) + Math.abs(yr[j]! * mdyy)) + 1e-30;
            return Math.abs(dx[i]! - dxRef(j)) <= 1e-5 * scale;
          };
          const where = `${[b, n, g, k]} group ${bi},${gi}`;
          bad.push(...mismatches(count, yOk, (j) => `y ${where} [${idx[j]}] ${y[idx[j]!]} vs ${yr[j]}`));
          bad.push(
            ...mismatches(count, dxOk, (j) => `dx ${where} [${idx[j]}] ${dx[idx[j]!]} vs ${dxRef(j)}`),
          );
        }
      }
      expect(bad.slice(0, 5)).toEqual([]);
    }
  });

  it("checks lengths and holds no memory across 10,000 calls", () => {
    const addon = loadNativeAddon();
    const f = (len: number) => new Float32Array(len).fill(0.5);
    expect(() => addon.standardize(f(5), f(6), f(1), 1, 2, 1, 3, 1e-5)).toThrow(/x is too short/);
    expect(() => addon.standardize(f(6), f(6), f(1), 1, 1, 2, 3, 1e-5)).toThrow(/rstd is too short/);
    expect(() => addon.standardizeGrad(f(6), f(6), f(1), f(5), 1, 2, 1, 3)).toThrow(/dx is too short/);
    expect(() => addon.siluGrad(f(6), f(5), f(6))).toThrow(/dy is too short/);
    expect(() => addon.silu(f(6), f(5))).toThrow(/out is too short/);
    const x = data(2 * 49 * 8 * 4, 1);
    const y = new Float32Array(x.length);
    const rstd = new Float32Array(16);
    const round = () => {
      addon.silu(x, y);
      addon.siluGrad(x, x, y);
      addon.standardize(x, y, rstd, 2, 49, 8, 4, 1e-5);
      addon.standardizeGrad(x, y, rstd, y, 2, 49, 8, 4);
    };
    for (let i = 0; i < 1000; i++) round();
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 10_000; i++) round();
    // Each standardize call allocates (and frees) per-thread scratch of a few doubles per group.
    expect(process.memoryUsage().rss - before).toBeLessThan(16 * 2 ** 20);
  });
});
