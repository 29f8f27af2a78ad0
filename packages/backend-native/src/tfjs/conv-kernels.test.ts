import { describe, expect, it, vi } from "vitest";
import { errorOn, relativeError, runOn } from "../testing/compare-backends.js";
import { draws } from "../testing/fixtures.js";
import { nativeForTests } from "../testing/native.js";
import { tf } from "./tf.js";

// The native backend needs the compiled addon; without it these suites skip and say why.
const { addon, unavailable } = await nativeForTests();
const suite = (name: string) => (unavailable === undefined ? name : `${name} [skipped: ${unavailable}]`);

const draw = draws(21);

type Pad = "same" | "valid" | [[number, number], [number, number], [number, number], [number, number]];
interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
  dilations?: [number, number];
}

const cases: Case[] = [
  { x: [2, 9, 7, 3], filter: [3, 3, 3, 5], strides: 1, pad: "same" },
  { x: [3, 17, 19, 13], filter: [3, 3, 13, 7], strides: 2, pad: "same" }, // odd sizes, stride 2
  { x: [1, 11, 6, 4], filter: [4, 2, 4, 6], strides: 1, pad: "valid" }, // batch 1, even filter
  { x: [2, 12, 10, 2], filter: [3, 3, 2, 3], strides: [2, 1], pad: "valid" },
  {
    x: [2, 8, 9, 3],
    filter: [3, 2, 3, 4],
    strides: 1,
    pad: [
      [0, 0],
      [2, 1],
      [0, 3],
      [0, 0],
    ],
  }, // explicit
  { x: [2, 5, 3, 8], filter: [1, 1, 8, 9], strides: 1, pad: "valid" }, // pointwise
  { x: [1, 2, 3, 1], filter: [5, 5, 1, 4], strides: 1, pad: "same" }, // filter larger than the image
  { x: [2, 16, 16, 32], filter: [3, 3, 32, 16], strides: 1, pad: "same" }, // several chunks
];

function label(c: Case): string {
  return `x${c.x} f${c.filter} s${c.strides} ${JSON.stringify(c.pad)} d${c.dilations ?? 1}`;
}

// Each output sums fh·fw·c (forward), fh·fw·o (input gradient) or batch·oh·ow (filter gradient)
// float32 products in an order other than the cpu kernel's: errors ~ sqrt(terms)·2^-24 of the scale.
function tolerance(terms: number): number {
  return 1e-5 * Math.sqrt(terms);
}

describe.skipIf(unavailable !== undefined)(suite("native Conv2D and its gradients"), () => {
  for (const c of cases) {
    it(`match the cpu backend for ${label(c)}`, async () => {
      const x = draw(c.x);
      const w = draw(c.filter);
      const [fh, fw, ci, co] = c.filter;
      // Σ y·r with a fixed r makes dL/dy = r: both gradients of one convolution, in one call.
      const yShape = tf.tidy(
        () =>
          tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.strides, c.pad).shape,
      );
      const r = draw(yShape);
      const program = () => {
        const f = (a: tf.Tensor, b: tf.Tensor) =>
          tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad);
        const xt = tf.tensor4d(x, c.x);
        const wt = tf.tensor4d(w, c.filter);
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(f(a, b), tf.tensor(r, yShape))),
        )([xt, wt]);
        return [f(xt, wt), dx!, dw!];
      };
      const cpu = await runOn("cpu", program);
      const calls = [
        vi.spyOn(addon!, "conv2d"),
        vi.spyOn(addon!, "conv2dBackpropInput"),
        vi.spyOn(addon!, "conv2dBackpropFilter"),
      ];
      const native = await runOn("native", program);
      for (const spy of calls) {
        expect(spy).toHaveBeenCalled();
        spy.mockRestore();
      }
      expect(native[0]!.shape).toEqual(cpu[0]!.shape);
      const [, oh, ow] = cpu[0]!.shape as [number, number, number, number];
      expect(relativeError(native[0]!, cpu[0]!), "y").toBeLessThan(tolerance(fh * fw * ci));
      expect(relativeError(native[1]!, cpu[1]!), "dx").toBeLessThan(tolerance(fh * fw * co));
      expect(relativeError(native[2]!, cpu[2]!), "dw").toBeLessThan(tolerance(c.x[0] * oh * ow));
    });
  }

  it("matches the cpu backend for a dilated convolution", async () => {
    const x = draw([2, 10, 12, 2]);
    const w = draw([3, 3, 2, 3]);
    const program = () =>
      tf.conv2d(tf.tensor4d(x, [2, 10, 12, 2]), tf.tensor4d(w, [3, 3, 2, 3]), 1, "same", "NHWC", 2);
    const [cpu] = await runOn("cpu", program);
    const [native] = await runOn("native", program);
    expect(relativeError(native!, cpu!)).toBeLessThan(tolerance(18));
  });

  it("computes conv2dTranspose (Conv2DBackpropInput) as the cpu backend does", async () => {
    const x = draw([2, 5, 6, 4]);
    const w = draw([3, 3, 3, 4]);
    const program = () =>
      tf.conv2dTranspose(
        tf.tensor4d(x, [2, 5, 6, 4]),
        tf.tensor4d(w, [3, 3, 3, 4]),
        [2, 10, 12, 3],
        2,
        "same",
      );
    const [cpu] = await runOn("cpu", program);
    const [native] = await runOn("native", program);
    expect(relativeError(native!, cpu!)).toBeLessThan(tolerance(36));
  });

  it("leaves NCHW to the cpu kernel and returns its result", async () => {
    const x = draw([1, 3, 6, 5]);
    const w = draw([3, 3, 3, 2]);
    const program = () =>
      tf.conv2d(tf.tensor4d(x, [1, 3, 6, 5]), tf.tensor4d(w, [3, 3, 3, 2]), 1, "same", "NCHW");
    const spy = vi.spyOn(addon!, "conv2d");
    const [cpu] = await runOn("cpu", program);
    const [native] = await runOn("native", program);
    expect(native!.values).toEqual(cpu!.values);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it("rejects mismatched channels and bad padding with tfjs's own errors, and never crashes", async () => {
    for (const program of [
      () =>
        tf.conv2d(tf.zeros([1, 5, 5, 3]) as tf.Tensor4D, tf.zeros([3, 3, 4, 2]) as tf.Tensor4D, 1, "same"),
      () =>
        tf.conv2d(
          tf.zeros([1, 5, 5, 3]) as tf.Tensor4D,
          tf.zeros([3, 3, 3, 2]) as tf.Tensor4D,
          1,
          "bogus" as "same",
        ),
    ]) {
      const expected = await errorOn("cpu", program);
      expect(expected).toBeDefined();
      expect(await errorOn("native", program)).toBe(expected);
    }
    // A filter larger than an unpadded image: tfjs does not object (its output shape is negative), so
    // the native kernel hands the case to the cpu kernel rather than throw where the cpu does not.
    const tooBig = () =>
      tf.conv2d(tf.zeros([1, 2, 2, 3]) as tf.Tensor4D, tf.zeros([5, 5, 3, 2]) as tf.Tensor4D, 1, "valid");
    expect(await errorOn("native", tooBig)).toBe(await errorOn("cpu", tooBig));
  });
});

describe.skipIf(unavailable !== undefined)(suite("native FusedConv2D"), () => {
  it("adds the bias and applies the activation as the cpu backend does", async () => {
    const x = draw([2, 7, 8, 5]);
    const w = draw([3, 3, 5, 6]);
    const bias = draw([6]);
    const alpha = draw([6]).map(Math.abs);
    for (const activation of ["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu", "prelu"] as const) {
      const program = () =>
        tf.fused.conv2d({
          x: tf.tensor4d(x, [2, 7, 8, 5]),
          filter: tf.tensor4d(w, [3, 3, 5, 6]),
          strides: 2,
          pad: "same",
          bias: tf.tensor1d(bias),
          activation,
          preluActivationWeights: activation === "prelu" ? tf.tensor1d(alpha) : undefined,
          leakyreluAlpha: 0.1,
        });
      const [cpu] = await runOn("cpu", program);
      const [native] = await runOn("native", program);
      // 45-term float32 sums, then float32 bias and activation (libm's expf for elu and sigmoid).
      expect(relativeError(native!, cpu!), activation).toBeLessThan(tolerance(45));
    }
  });
});

describe.skipIf(unavailable !== undefined)(suite("native AvgPool"), () => {
  it("pools and differentiates exactly as the cpu backend does", async () => {
    // Both sum each window in float64 in the same order and round once: bit-identical.
    const spy = vi.spyOn(addon!, "avgPoolGrad");
    const cases: [
      [number, number, number, number],
      number | [number, number],
      number | [number, number],
      "valid" | "same",
    ][] = [
      [[2, 8, 6, 3], 2, 2, "valid"], // a U-Net's downsampling
      [[1, 7, 5, 2], 3, 1, "same"],
      [[2, 9, 7, 4], [3, 2], [2, 1], "valid"],
    ];
    for (const [shape, size, strides, pad] of cases) {
      const x = draw(shape);
      const yShape = tf.tidy(() => tf.avgPool(tf.zeros(shape) as tf.Tensor4D, size, strides, pad).shape);
      const r = draw(yShape);
      const program = () => {
        const t = tf.tensor4d(x, shape);
        const f = (v: tf.Tensor) => tf.avgPool(v as tf.Tensor4D, size, strides, pad);
        const [g] = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(f(v), tf.tensor(r, yShape))))([t]);
        return [f(t), g!];
      };
      const cpu = await runOn("cpu", program);
      const native = await runOn("native", program);
      for (let i = 0; i < 2; i++)
        expect(native[i]!.values, `${shape} ${size} output ${i}`).toEqual(cpu[i]!.values);
    }
    expect(spy).toHaveBeenCalledTimes(3);
    spy.mockRestore();
  });
});
