import { describe, expect, it } from "vitest";
import { ReduceOp } from "./addon.js";
import { loadNativeAddon } from "./load-addon.js";
import { built, data, mismatches, suite } from "./testing/fixtures.js";

describe.skipIf(!built)(suite("reduce"), () => {
  it("sums, maxes and mins the middle axis of [outer, reduced, inner] views", () => {
    const addon = loadNativeAddon();
    for (const [outer, reduced, inner] of [
      [1, 1, 1],
      [5, 7, 1], // innermost axis
      [1, 300_001, 1], // one long row, split across threads
      [1, 5_000, 17], // outermost axis (a bias gradient), split across threads
      [3, 11, 13], // middle axis
      [50_000, 3, 2], // many short reductions
      [4, 0, 3], // empty reduction
    ] as const) {
      const x = data(outer * reduced * inner, outer + reduced);
      for (const op of ["sum", "max", "min"] as const) {
        const out = new Float32Array(outer * inner);
        addon.reduce(ReduceOp[op], x, out, outer, reduced, inner, 0.5);
        const ref = new Float64Array(outer * inner);
        for (let a = 0; a < outer; a++) {
          for (let i = 0; i < inner; i++) {
            let acc = op === "sum" ? 0 : op === "max" ? -Infinity : Infinity;
            for (let r = 0; r < reduced; r++) {
              const v = x[(a * reduced + r) * inner + i]!;
              acc = op === "sum" ? acc + v : op === "max" ? Math.max(acc, v) : Math.min(acc, v);
            }
            ref[a * inner + i] = Math.fround(op === "sum" ? acc * 0.5 : acc);
          }
        }
        // float64 sums in another order differ far below float32's last bit: at most one rounding
        // step (2^-23 relative) apart; max and min are exact.
        const ok =
          op === "sum"
            ? (j: number) => Math.abs(out[j]! - ref[j]!) <= 2 ** -23 * Math.abs(ref[j]!) + 1e-30
            : (j: number) => Object.is(out[j], ref[j]);
        const bad = mismatches(out.length, ok, (j) => `[${j}] ${out[j]} vs ${ref[j]}`);
        expect(bad, `${op} ${outer},${reduced},${inner}`).toEqual([]);
      }
    }
  });

  it("propagates NaN through max as tfjs's cpu kernel does", () => {
    const out = new Float32Array(1);
    loadNativeAddon().reduce(ReduceOp.max, Float32Array.of(1, Number.NaN, 3), out, 1, 3, 1, 1);
    expect(out[0]).toBeNaN();
  });
});

describe.skipIf(!built)(suite("softmax"), () => {
  it("matches exp(x − max) / Σ exp(x − max) per row", () => {
    const [rows, cols] = [301, 77];
    const x = data(rows * cols, 2, 20);
    const out = new Float32Array(rows * cols);
    loadNativeAddon().softmax(x, out, rows, cols);
    const bad: string[] = [];
    for (let r = 0; r < rows; r++) {
      const row = Array.from(x.subarray(r * cols, (r + 1) * cols));
      const m = Math.max(...row);
      // x − max is a float32 subtraction, in tfjs's cpu kernel too; its rounding is part of the result.
      const e = row.map((v) => Math.exp(Math.fround(v - m)));
      const s = e.reduce((a, b) => a + b, 0);
      // expf (≤ 1 ulp) and a float32 multiply by 1/Σ: a few float32 roundings, 1e-6 relative.
      const ok = (i: number) => Math.abs(out[r * cols + i]! - e[i]! / s) <= 1e-6 * (e[i]! / s) + 1e-30;
      bad.push(...mismatches(cols, ok, (i) => `[${r}, ${i}] ${out[r * cols + i]} vs ${e[i]! / s}`));
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });
});
