import { describe, expect, it, vi } from "vitest";
import { FusedKernel, fusedKernelAvailable } from "../fused.js";
import { fusedConv2dBias } from "../fused-conv-bias.js";
import { Rng } from "../rng.js";
import { relativeError, runOn } from "../testing/compare-backends.js";
import { nativeForTests } from "../testing/native.js";
import { expectNoTensorGrowth } from "../testing/no-growth.js";
import { type Tensor, tf } from "../tf.js";

// The native backend needs the compiled addon; without it these suites skip and say why.
const { addon, unavailable } = await nativeForTests();
const suite = (name: string) => (unavailable === undefined ? name : `${name} [skipped: ${unavailable}]`);

const rng = Rng.seeded(93);
const normal = (shape: number[]) => rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1)));

// [x shape, filter shape, strides, pad]: the U-Net's 3×3 "same" conv, its 1×1 skip (the plain-GEMM
// path), a strided "valid" one with odd sizes.
const cases: [number[], number[], number | [number, number], "same" | "valid"][] = [
  [[2, 9, 9, 4], [3, 3, 4, 6], 1, "same"],
  [[3, 5, 5, 8], [1, 1, 8, 5], 1, "same"],
  [[1, 11, 7, 3], [3, 2, 3, 4], [2, 1], "valid"],
];

describe("fusedConv2dBias", () => {
  it("leaves the cpu backend on the composed ops", async () => {
    await runOn("cpu", () => {
      const [x, w, b] = [tf.ones([1, 3, 3, 2]), tf.ones([3, 3, 2, 2]), tf.ones([2])];
      expect(fusedKernelAvailable(FusedKernel.conv2dBias)).toBe(false);
      expect(fusedConv2dBias(x, w, b, { strides: 1, pad: "same" })).toBeUndefined();
      return [x, w, b];
    });
  });
});

describe.skipIf(unavailable !== undefined)(suite("native conv2d + bias"), () => {
  it("equals Conv2D then Add on native bit for bit, and tfjs's cpu conv + add within GEMM rounding", async () => {
    const spy = vi.spyOn(addon!, "conv2d");
    for (const [xs, ws, strides, pad] of cases) {
      const [x, w, b] = [normal(xs), normal(ws), normal([ws[3]!])];
      let u: Float32Array | undefined;
      const program = (fused: boolean) => () => {
        const [xt, wt, bt] = [tf.tensor(x, xs), tf.tensor(w, ws), tf.tensor(b, [ws[3]!])];
        const f = (a: Tensor, c: Tensor, d: Tensor) =>
          fused
            ? fusedConv2dBias(a, c, d, { strides, pad })!
            : tf.add(tf.conv2d(a as tf.Tensor4D, c as tf.Tensor4D, strides, pad), d);
        const y = f(xt, wt, bt);
        u ??= normal(y.shape); // drawn once, the same weights on every backend
        const ut = tf.tensor(u, y.shape);
        return [
          y,
          ...tf.grads((a: Tensor, c: Tensor, d: Tensor) => tf.sum(tf.mul(f(a, c, d), ut)))([xt, wt, bt]),
        ];
      };
      const fused = await runOn("native", program(true));
      const composed = await runOn("native", program(false));
      const cpu = await runOn("cpu", program(false));
      // Same GEMM, then one float32 addition: exactly Add's result. Gradients run the same kernels.
      for (const [i, r] of fused.entries()) {
        expect(r.values, `${xs} * ${ws} output ${i}`).toEqual(composed[i]!.values);
        // Against the cpu kernels: float32 sums in another order, ~1e-5·√K of the scale (README).
        expect(relativeError(r, cpu[i]!), `${xs} * ${ws} vs cpu ${i}`).toBeLessThan(1e-4);
      }
    }
    expect(spy.mock.calls.some((c) => c[4] instanceof Float32Array)).toBe(true);
  });

  it("puts a linear FusedConv2D's per-channel bias in the conv pass, bit-identical to the in-place pass", async () => {
    const [xs, ws] = [
      [2, 6, 6, 3],
      [3, 3, 3, 5],
    ];
    const [x, w, b] = [normal(xs), normal(ws), normal([5])];
    const spy = vi.spyOn(addon!, "biasActivation");
    const run = (activation: "linear" | "relu") =>
      runOn("native", () => {
        const [xt, wt, bt] = [tf.tensor(x, xs), tf.tensor(w, ws), tf.tensor(b, [5])];
        return tf.fused.conv2d({
          x: xt as tf.Tensor4D,
          filter: wt as tf.Tensor4D,
          strides: 1,
          pad: "same",
          bias: bt,
          activation,
        });
      });
    spy.mockClear();
    const [linear] = await run("linear");
    expect(spy).not.toHaveBeenCalled();
    const [relu] = await run("relu");
    expect(spy).toHaveBeenCalled(); // bias and relu: the separate in-place pass, as before
    // relu(conv + b) from the same conv + b: equal wherever positive, 0 elsewhere.
    expect(relu!.values).toEqual(linear!.values.map((v) => Math.max(v, 0)));
  });

  it("leaks no tensors and no memory over many forward and gradient calls", async () => {
    await runOn("native", () => {
      const [x, w, b] = [tf.randomNormal([2, 8, 8, 4]), tf.randomNormal([3, 3, 4, 4]), tf.randomNormal([4])];
      const step = () =>
        tf.tidy(() => {
          const f = (a: Tensor, c: Tensor, d: Tensor) =>
            tf.sum(fusedConv2dBias(a, c, d, { strides: 1, pad: "same" })!);
          tf.stack(
            tf
              .grads(f)([x, w, b])
              .map((g) => tf.sum(g)),
          ).dataSync();
        });
      expectNoTensorGrowth(step, 2000);
      return [x, w, b];
    });
  });
});
