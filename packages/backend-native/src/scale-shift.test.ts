import { describe, expect, it } from "vitest";
import { loadNativeAddon } from "./load-addon.js";
import { built, data, suite } from "./testing/fixtures.js";

const f32 = Math.fround;

describe.skipIf(!built)(suite("fused scaleShift"), () => {
  // [batch, n, c] views: U-Net GroupNorm features, LayerNorm tokens, one row, an odd channel count.
  const shapes = [
    [2, 49, 32],
    [3, 5, 7],
    [1, 1, 1],
    [5, 17, 33],
  ] as const;

  it("rounds x⊙s then adds b, as tfjs's Mul then Add (bit-identical), per batch entry or shared", () => {
    const addon = loadNativeAddon();
    for (const [b, n, c] of shapes) {
      const x = data(b * n * c, 1, 3);
      for (const shared of [false, true]) {
        const v = shared ? c : b * c;
        const s = data(v, 2);
        const sh = data(v, 3);
        const y = new Float32Array(x.length);
        const yNoShift = new Float32Array(x.length);
        addon.scaleShift(x, s, sh, y, b, n, c, null, null);
        addon.scaleShift(x, s, null, yNoShift, b, n, c, null, null);
        for (let i = 0; i < x.length; i++) {
          const bi = Math.floor(i / (n * c));
          const k = (shared ? 0 : bi * c) + (i % c);
          // Exact: the same two float32 roundings in the same order.
          expect(y[i], `y ${[b, n, c, shared]} [${i}]`).toBe(f32(f32(x[i]! * s[k]!) + sh[k]!));
          expect(yNoShift[i]).toBe(f32(x[i]! * s[k]!));
        }
      }
    }
  });

  it("gives the JVP ẋ⊙s + x⊙ṡ + ḃ with the composed rule's roundings", () => {
    const addon = loadNativeAddon();
    for (const [b, n, c] of shapes) {
      const size = b * n * c;
      const x = data(size, 4);
      const tx = data(size, 5);
      const s = data(b * c, 6);
      const ts = data(c, 7); // shared tangent of a shared scale, against a per-batch one
      const tb = data(b * c, 8);
      const t = new Float32Array(size);
      addon.scaleShift(tx, s, tb, t, b, n, c, x, ts);
      for (let i = 0; i < size; i++) {
        const bi = Math.floor(i / (n * c));
        const k = i % c;
        const ref = f32(f32(f32(tx[i]! * s[bi * c + k]!) + f32(x[i]! * ts[k]!)) + tb[bi * c + k]!);
        // Exact: Mul, Mul, Add, Add of the composed rule, rounded in the same order.
        expect(t[i], `t ${[b, n, c]} [${i}]`).toBe(ref);
      }
    }
  });

  it("gives dx = dy⊙s and the per-entry sums Σ_n dy⊙x, Σ_n dy, in float64", () => {
    const addon = loadNativeAddon();
    for (const [b, n, c] of shapes) {
      for (const shared of [false, true]) {
        const size = b * n * c;
        const dy = data(size, 9, 2);
        const x = data(size, 10).map((v) => v + 3); // offset: where float32 sums would drift
        const s = data(shared ? c : b * c, 11);
        const dx = new Float32Array(size);
        const ds = new Float32Array(b * c);
        const db = new Float32Array(b * c);
        addon.scaleShiftGrad(dy, x, s, dx, ds, db, b, n, c);
        for (let bi = 0; bi < b; bi++) {
          for (let k = 0; k < c; k++) {
            let rs = 0;
            let rb = 0;
            let mag = 0;
            for (let i = 0; i < n; i++) {
              const at = (bi * n + i) * c + k;
              expect(dx[at]).toBe(f32(dy[at]! * s[(shared ? 0 : bi * c) + k]!)); // one rounding, exact
              rs += f32(dy[at]! * x[at]!);
              rb += dy[at]!;
              mag += Math.abs(dy[at]! * x[at]!);
            }
            // float64 sums of float32 products, rounded once: half an ulp of the sum (plus the scale
            // of its terms' own float32 roundings).
            expect(Math.abs(ds[bi * c + k]! - rs)).toBeLessThanOrEqual(6e-8 * (Math.abs(rs) + mag) + 1e-30);
            expect(Math.abs(db[bi * c + k]! - rb)).toBeLessThanOrEqual(6e-8 * Math.abs(rb) + 1e-30);
          }
        }
      }
    }
  });

  it("checks lengths and holds no memory across 10,000 calls", () => {
    const addon = loadNativeAddon();
    const f = (len: number) => new Float32Array(len).fill(0.5);
    expect(() => addon.scaleShift(f(5), f(2), null, f(6), 1, 3, 2, null, null)).toThrow(/x is too short/);
    expect(() => addon.scaleShift(f(12), f(3), null, f(12), 2, 3, 2, null, null)).toThrow(
      /scale must hold c or batch·c values/,
    );
    expect(() => addon.scaleShift(f(12), f(4), f(5), f(12), 2, 3, 2, null, null)).toThrow(
      /shift must hold c or batch·c values/,
    );
    expect(() => addon.scaleShift(f(12), f(4), null, f(12), 2, 3, 2, f(12), null)).toThrow(
      /x2 and scale2 must both be given/,
    );
    expect(() => addon.scaleShiftGrad(f(12), f(12), f(2), f(12), f(3), f(4), 2, 3, 2)).toThrow(
      /dscale is too short/,
    );
    const x = data(4 * 49 * 32, 1);
    const y = new Float32Array(x.length);
    const v = data(4 * 32, 2);
    const g = new Float32Array(4 * 32);
    const round = () => {
      addon.scaleShift(x, v, v, y, 4, 49, 32, x, v);
      addon.scaleShiftGrad(x, y, v, y, g, g, 4, 49, 32);
    };
    for (let i = 0; i < 1000; i++) round();
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 10_000; i++) round();
    // The gradient allocates (and frees) per-thread scratch of 2·c doubles.
    expect(process.memoryUsage().rss - before).toBeLessThan(16 * 2 ** 20);
  });
});
