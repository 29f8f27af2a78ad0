import { describe, expect, it, vi } from "vitest";
import { errorOn, relativeError, runOn } from "../testing/compare-backends.js";
import { draws } from "../testing/fixtures.js";
import { nativeForTests } from "../testing/native.js";
import { tf } from "./tf.js";

// The native backend needs the compiled addon; without it these suites skip and say why.
const { addon, unavailable } = await nativeForTests();
const suite = (name: string) => (unavailable === undefined ? name : `${name} [skipped: ${unavailable}]`);

const draw = draws(55);

const axesCases: [number[], number | number[] | undefined, boolean][] = [
  [[5, 7], 1, false],
  [[5, 7], 0, true],
  [[2, 3, 4, 5], [1, 2], false], // spatial axes of NHWC
  [[2, 3, 4, 5], [0, 2], true], // two separate runs of axes
  [[2, 3, 4, 6, 2], [1, 2, 4], true], // GroupNorm's moments over H, W and the channels of a group
  [[2, 3, 4, 5], -1, false],
  [[2, 3, 4, 5], undefined, false], // everything
  [[40_000, 3], 0, false], // long column sums split across threads
  [[3, 1, 4], [1], false], // a size-1 axis only
];

describe.skipIf(unavailable !== undefined)(suite("native Sum, Mean, Max and Min"), () => {
  it("match the cpu backend over single, split and all axes, with and without keepDims", async () => {
    const spy = vi.spyOn(addon!, "reduce");
    for (const [shape, axis, keepDims] of axesCases) {
      const x = draw(shape);
      for (const [name, op] of [
        ["sum", tf.sum],
        ["mean", tf.mean],
        ["max", tf.max],
        ["min", tf.min],
      ] as const) {
        const program = () => {
          const t = tf.tensor(x, shape);
          // Σ|x| over the same axes: the scale a float32 sum's rounding error is relative to.
          return [op(t, axis, keepDims), tf.sum(tf.abs(t), axis, keepDims)];
        };
        const [cpu, scale] = await runOn("cpu", program);
        const [native] = await runOn("native", program);
        expect(native!.shape, `${name} ${shape} ${axis}`).toEqual(cpu!.shape);
        if (name === "max" || name === "min") {
          expect(native!.values, `${name} ${shape} ${axis}`).toEqual(cpu!.values);
          continue;
        }
        // float64 accumulation (cpu) against float64 per pass rounded to float32 between passes
        // (native), and mean's division before (cpu) or after (native) the sum: a few 2^-24 of Σ|x|.
        const count = name === "mean" ? x.length / cpu!.values.length : 1;
        for (let i = 0; i < cpu!.values.length; i++) {
          expect(
            Math.abs(native!.values[i]! - cpu!.values[i]!),
            `${name} ${shape} ${axis} [${i}]`,
          ).toBeLessThanOrEqual((4 * 2 ** -24 * scale!.values[i]!) / count + 1e-30);
        }
      }
    }
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });

  it("leaves int32 sums to the cpu kernel", async () => {
    const [native] = await runOn("native", () =>
      tf.sum(
        tf.tensor(
          [
            [1, 2],
            [3, 4],
          ],
          [2, 2],
          "int32",
        ),
        0,
      ),
    );
    expect(Array.from(native!.values)).toEqual([4, 6]);
  });

  it("rejects an axis out of range with tfjs's own error", async () => {
    const program = () => tf.sum(tf.zeros([2, 3]), 2);
    const expected = await errorOn("cpu", program);
    expect(expected).toMatch(/axis param must be in range/);
    expect(await errorOn("native", program)).toBe(expected);
  });
});

describe.skipIf(unavailable !== undefined)(suite("native Softmax"), () => {
  it("matches the cpu backend, also under logSoftmax and the gradient", async () => {
    const x = draw([7, 9, 13]).map((v) => 5 * v);
    const program = () => {
      const t = tf.tensor(x, [7, 9, 13]);
      const [g] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(tf.softmax(a), a)))([t]);
      return [tf.softmax(t), tf.logSoftmax(t), g!];
    };
    const spy = vi.spyOn(addon!, "softmax");
    const cpu = await runOn("cpu", program);
    const native = await runOn("native", program);
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
    // expf (≤ 1 ulp) against float64 Math.exp rounded, a float32 row sum and one division: 1e-6
    // of the scale for probabilities; log-probabilities and the gradient carry the same error.
    for (let i = 0; i < 3; i++) expect(relativeError(native[i]!, cpu[i]!), `output ${i}`).toBeLessThan(1e-6);
  });
});
