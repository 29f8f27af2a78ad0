import { describe, expect, it, vi } from "vitest";
import { errorOn, relativeError, runOn, valueMismatches } from "../testing/compare-backends.js";
import { draws } from "../testing/fixtures.js";
import { nativeForTests } from "../testing/native.js";
import { tf } from "./tf.js";

// The native backend needs the compiled addon; without it these suites skip and say why.
const { addon, unavailable } = await nativeForTests();
const suite = (name: string) => (unavailable === undefined ? name : `${name} [skipped: ${unavailable}]`);

const draw = draws(34);

const shapePairs: [number[], number[]][] = [
  [
    [2, 3, 4, 5],
    [2, 3, 4, 5],
  ],
  [[2, 3, 4, 5], [5]],
  [
    [2, 3, 4, 5],
    [2, 1, 1, 5],
  ],
  [
    [2, 3, 4, 5],
    [2, 3, 4, 1],
  ],
  [[], [3, 7]],
  [
    [33, 1, 5],
    [1, 4, 1],
  ],
  [
    [2, 1, 3, 1, 2],
    [4, 1, 5, 1],
  ],
  [[64, 1024], [1]], // split across threads
];

describe.skipIf(unavailable !== undefined)(suite("native binary kernels"), () => {
  it("equal the cpu backend exactly for every broadcast pattern", async () => {
    // One float32 add, subtract, multiply or divide is correctly rounded on both backends (the cpu
    // rounds the exact float64 result once), so they agree bit for bit; max and min are exact.
    const ops = {
      add: tf.add,
      sub: tf.sub,
      mul: tf.mul,
      div: tf.div,
      maximum: tf.maximum,
      minimum: tf.minimum,
    };
    const spy = vi.spyOn(addon!, "binary");
    let expectedCalls = 0;
    for (const [name, op] of Object.entries(ops)) {
      for (const [sa, sb] of shapePairs) {
        const a = draw(sa);
        const b = draw(sb);
        const program = () => op(tf.tensor(a, sa), tf.tensor(b, sb));
        const [cpu] = await runOn("cpu", program);
        const [native] = await runOn("native", program);
        expect(native!.shape, `${name} ${sa} ${sb}`).toEqual(cpu!.shape);
        expect(valueMismatches(native!.values, cpu!.values), `${name} ${sa} ${sb}`).toEqual([]);
        expectedCalls++;
      }
    }
    expect(spy).toHaveBeenCalledTimes(expectedCalls);
    spy.mockRestore();
  });

  it("agrees with the cpu backend on squaredDifference to one rounding", async () => {
    const [sa, sb] = [
      [2, 3, 4, 5],
      [4, 1],
    ];
    const a = draw(sa);
    const b = draw(sb);
    const program = () => tf.squaredDifference(tf.tensor(a, sa), tf.tensor(b, sb));
    const [cpu] = await runOn("cpu", program);
    const [native] = await runOn("native", program);
    // The cpu squares the float64 difference, the addon the float32 one: 2^-23 relative at most.
    expect(relativeError(native!, cpu!)).toBeLessThan(2 ** -22);
  });

  it("leaves int32 arithmetic to the cpu kernel", async () => {
    const program = () => tf.add(tf.tensor([1, 2, 3], [3], "int32"), tf.tensor([4], [1], "int32"));
    const spy = vi.spyOn(addon!, "binary");
    const [native] = await runOn("native", program);
    expect(Array.from(native!.values)).toEqual([5, 6, 7]);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it("rejects shapes that do not broadcast with tfjs's own error", async () => {
    const program = () => tf.add(tf.zeros([2, 3]), tf.zeros([4]));
    const expected = await errorOn("cpu", program);
    expect(expected).toMatch(/could not be broadcast/);
    expect(await errorOn("native", program)).toBe(expected);
  });
});

describe.skipIf(unavailable !== undefined)(suite("native unary kernels"), () => {
  it("match the cpu backend for every op", async () => {
    // exact: one correctly rounded operation on both sides. ≤ 1e-6 relative: libm's float32 expf,
    // logf, tanhf, expm1f and sigmoid's extra division against the cpu's float64 Math functions.
    const ops: [string, (x: tf.Tensor) => tf.Tensor, "exact" | number][] = [
      ["relu", tf.relu, "exact"],
      ["relu6", tf.relu6, "exact"],
      ["step", (x) => tf.step(x, 0.3), "exact"],
      ["neg", tf.neg, "exact"],
      ["abs", tf.abs, "exact"],
      ["square", tf.square, "exact"],
      ["sqrt", (x) => tf.sqrt(tf.abs(x)), "exact"],
      ["reciprocal", tf.reciprocal, "exact"],
      ["leakyRelu", (x) => tf.leakyRelu(x, 0.25), "exact"],
      ["rsqrt", (x) => tf.rsqrt(tf.abs(x)), 2 ** -23],
      ["exp", tf.exp, 1e-6],
      ["log", (x) => tf.log(tf.abs(x)), 1e-6],
      ["sigmoid", tf.sigmoid, 1e-6],
      ["tanh", tf.tanh, 1e-6],
      ["elu", tf.elu, 1e-6],
    ];
    const x = draw([3, 50, 70]).map((v) => 3 * v);
    for (const [name, op, tol] of ops) {
      const program = () => op(tf.tensor(x, [3, 50, 70]));
      const [cpu] = await runOn("cpu", program);
      const [native] = await runOn("native", program);
      if (tol === "exact") {
        expect(valueMismatches(native!.values, cpu!.values), name).toEqual([]);
      } else {
        let worst = 0;
        for (let i = 0; i < x.length; i++) {
          const r = cpu!.values[i]!;
          worst = Math.max(worst, Math.abs(native!.values[i]! - r) / Math.max(Math.abs(r), 1e-30));
        }
        expect(worst, name).toBeLessThanOrEqual(tol);
      }
    }
  });
});

describe.skipIf(unavailable !== undefined)(suite("native AddN"), () => {
  it("equals the cpu backend exactly (same order of float32 additions)", async () => {
    const xs = [draw([4, 33]), draw([4, 33]), draw([4, 33])];
    const program = () => tf.addN(xs.map((v) => tf.tensor(v, [4, 33])));
    const spy = vi.spyOn(addon!, "addN");
    const [cpu] = await runOn("cpu", program);
    const [native] = await runOn("native", program);
    expect(valueMismatches(native!.values, cpu!.values)).toEqual([]);
    expect(spy).toHaveBeenCalledOnce();
    spy.mockRestore();
  });
});
