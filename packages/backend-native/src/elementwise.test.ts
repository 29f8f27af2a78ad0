import { describe, expect, it } from "vitest";
import { Activation, BinaryOp, UnaryOp } from "./addon.js";
import { loadNativeAddon } from "./load-addon.js";
import { built, data, suite } from "./testing/fixtures.js";

const f = Math.fround;

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

// out[i] = op(a[ia], b[ib]) with NumPy broadcasting, by explicit index arithmetic.
function broadcastRef(
  op: (x: number, y: number) => number,
  a: Float32Array,
  aShape: number[],
  b: Float32Array,
  bShape: number[],
): { out: Float32Array; shape: number[] } {
  const rank = Math.max(aShape.length, bShape.length);
  const pa = [...Array(rank - aShape.length).fill(1), ...aShape];
  const pb = [...Array(rank - bShape.length).fill(1), ...bShape];
  const shape = pa.map((d, i) => Math.max(d, pb[i]!));
  const out = new Float32Array(size(shape));
  for (let i = 0; i < out.length; i++) {
    let rest = i;
    let ia = 0;
    let ib = 0;
    let sa = 1;
    let sb = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const idx = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
      if (pa[d] !== 1) ia += idx * sa;
      if (pb[d] !== 1) ib += idx * sb;
      sa *= pa[d]!;
      sb *= pb[d]!;
    }
    out[i] = op(a[ia]!, b[ib]!);
  }
  return { out, shape };
}

// Reference ops rounded as float32 arithmetic rounds: one float32 operation on float32 inputs,
// computed in float64 and rounded once, is exactly the float32 result.
const binaryRefs: Record<keyof typeof BinaryOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  max: (x, y) => Math.max(x, y),
  min: (x, y) => Math.min(x, y),
  squaredDifference: (x, y) => f(f(x - y) * f(x - y)),
};

const shapePairs: [number[], number[]][] = [
  [
    [2, 3, 4, 5],
    [2, 3, 4, 5],
  ], // same shape
  [[2, 3, 4, 5], [5]], // bias over channels
  [
    [2, 3, 4, 5],
    [2, 1, 1, 5],
  ], // per-image, per-channel
  [
    [2, 3, 4, 5],
    [2, 3, 4, 1],
  ], // per-pixel
  [[], [3, 7]], // scalar on the left
  [
    [33, 1, 5],
    [1, 4, 1],
  ], // both broadcast
  [
    [2, 1, 3, 1, 2],
    [4, 1, 5, 1],
  ], // rank 5
  [[700, 129], []], // large enough to split across threads, scalar on the right
];

describe.skipIf(!built)(suite("binary"), () => {
  it("equals float32 arithmetic exactly for every op and broadcast pattern", () => {
    const addon = loadNativeAddon();
    for (const [name, code] of Object.entries(BinaryOp) as [keyof typeof BinaryOp, number][]) {
      for (const [aShape, bShape] of shapePairs) {
        const a = data(size(aShape), 1);
        const b = data(size(bShape), 2);
        const ref = broadcastRef(binaryRefs[name], a, aShape, b, bShape);
        const out = new Float32Array(ref.out.length);
        addon.binary(code as 0, a, Int32Array.from(aShape), b, Int32Array.from(bShape), out);
        expect(Array.from(out), `${name} ${aShape} ${bShape}`).toEqual(Array.from(ref.out));
      }
    }
  });

  it("propagates NaN through max and min as Math.max and Math.min do", () => {
    const out = new Float32Array(2);
    const one = Int32Array.of(2);
    loadNativeAddon().binary(
      BinaryOp.max,
      Float32Array.of(Number.NaN, 1),
      one,
      Float32Array.of(0, Number.NaN),
      one,
      out,
    );
    expect(Array.from(out)).toEqual([Number.NaN, Number.NaN]);
  });
});

describe.skipIf(!built)(suite("unary"), () => {
  // exact: one correctly rounded float32 operation; approx: libm's expf/logf/tanhf/expm1f (≤ 2 ulp,
  // plus one rounding of the division in sigmoid), checked to 1e-6 relative.
  const alpha = 0.2;
  const refs: Record<keyof typeof UnaryOp, [(x: number) => number, "exact" | "approx"]> = {
    relu: [(x) => Math.max(0, x), "exact"],
    relu6: [(x) => Math.min(Math.max(0, x), 6), "exact"],
    step: [(x) => (x > 0 ? 1 : f(alpha)), "exact"],
    sigmoid: [(x) => 1 / (1 + Math.exp(-x)), "approx"],
    exp: [Math.exp, "approx"],
    neg: [(x) => -x, "exact"],
    sqrt: [Math.sqrt, "exact"],
    rsqrt: [(x) => f(1 / f(Math.sqrt(x))), "exact"],
    square: [(x) => x * x, "exact"],
    log: [Math.log, "approx"],
    abs: [Math.abs, "exact"],
    elu: [(x) => (x >= 0 ? x : Math.expm1(x)), "approx"],
    leakyRelu: [(x) => (x < 0 ? f(alpha) * x : x), "exact"],
    reciprocal: [(x) => 1 / x, "exact"],
    tanh: [Math.tanh, "approx"],
  };

  it("matches the tfjs cpu formulas for every op", () => {
    const addon = loadNativeAddon();
    for (const [name, code] of Object.entries(UnaryOp) as [keyof typeof UnaryOp, number][]) {
      const positive = name === "sqrt" || name === "rsqrt" || name === "log";
      const x = data(40_000, 3, 8).map((v) => (positive ? Math.abs(v) + 1e-3 : v));
      const out = new Float32Array(x.length);
      addon.unary(code as 0, x, out, alpha);
      const [ref, kind] = refs[name];
      let worst = 0;
      for (let i = 0; i < x.length; i++) {
        const r = f(ref(x[i]!));
        const err = Math.abs(out[i]! - r) / Math.max(Math.abs(r), 1e-30);
        worst = Math.max(worst, kind === "exact" ? Math.abs(out[i]! - r) : err);
      }
      expect(worst, name).toBeLessThanOrEqual(kind === "exact" ? 0 : 1e-6);
    }
  });

  it("gives exp's overflow, underflow, subnormal and NaN results", () => {
    const x = Float32Array.of(
      -Infinity,
      -200,
      -104,
      -100,
      -90,
      -87.5,
      0,
      1e-8,
      88,
      88.7,
      89,
      200,
      Infinity,
      Number.NaN,
    );
    const out = new Float32Array(x.length);
    loadNativeAddon().unary(UnaryOp.exp, x, out, 0);
    for (let i = 0; i < x.length; i++) {
      const ref = f(Math.exp(x[i]!));
      if (!Number.isFinite(ref) || ref === 0) {
        expect(out[i], `exp(${x[i]})`).toBe(ref);
      } else {
        // 2 ulp in the normal range; a subnormal result has fewer bits, so it may be off by 2^-148.
        expect(Math.abs(out[i]! - ref), `exp(${x[i]})`).toBeLessThanOrEqual(
          Math.max(2.5e-7 * ref, 2 ** -148),
        );
      }
    }
  });

  it("keeps NaN through relu and step as tfjs's cpu kernels do", () => {
    const out = new Float32Array(1);
    loadNativeAddon().unary(UnaryOp.relu, Float32Array.of(Number.NaN), out, 0);
    expect(out[0]).toBeNaN();
    loadNativeAddon().unary(UnaryOp.step, Float32Array.of(Number.NaN), out, 0);
    expect(out[0]).toBeNaN();
  });
});

describe.skipIf(!built)(suite("biasActivation"), () => {
  it("adds the bias per channel, then applies each activation", () => {
    const addon = loadNativeAddon();
    const rows = 37;
    const c = 6;
    const y0 = data(rows * c, 4, 3);
    const bias = data(c, 5);
    const prelu = data(c, 6);
    const acts: [keyof typeof Activation, (v: number, ch: number) => number][] = [
      ["linear", (v) => v],
      ["relu", (v) => Math.max(0, v)],
      ["relu6", (v) => Math.min(Math.max(0, v), 6)],
      ["leakyrelu", (v) => (v < 0 ? f(0.3) * v : v)],
      ["sigmoid", (v) => 1 / (1 + Math.exp(-v))],
      ["elu", (v) => (v >= 0 ? v : Math.expm1(v))],
      ["prelu", (v, ch) => (v < 0 ? prelu[ch]! * v : v)],
    ];
    for (const [name, act] of acts) {
      const y = y0.slice();
      addon.biasActivation(y, rows, c, bias, Activation[name], 0.3, prelu);
      for (let i = 0; i < y.length; i++) {
        const r = f(act(f(y0[i]! + bias[i % c]!), i % c));
        // sigmoid and elu go through libm (≤ 1e-6 relative); the rest is exact float32 arithmetic.
        expect(Math.abs(y[i]! - r), `${name} ${i}`).toBeLessThanOrEqual(1e-6 * Math.abs(r));
      }
    }
  });
});

describe.skipIf(!built)(suite("addN"), () => {
  it("sums its inputs in order in float32", () => {
    const inputs = [data(50_000, 7), data(50_000, 8), data(50_000, 9)];
    const out = new Float32Array(50_000);
    loadNativeAddon().addN(inputs, out);
    // ((a + b) + c), each addition rounded to float32, is exactly what the loop computes.
    const ref = inputs[0]!.map((v, i) => f(f(v + inputs[1]![i]!) + inputs[2]![i]!));
    expect(Array.from(out)).toEqual(Array.from(ref));
  });
});
