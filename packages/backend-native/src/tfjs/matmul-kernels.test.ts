import { describe, expect, it, vi } from "vitest";
import { errorOn, relativeError, runOn } from "../testing/compare-backends.js";
import { draws } from "../testing/fixtures.js";
import { nativeForTests } from "../testing/native.js";
import { tf } from "./tf.js";

// The native backend needs the compiled addon; without it these suites skip and say why.
const { addon, unavailable } = await nativeForTests();
const suite = (name: string) => (unavailable === undefined ? name : `${name} [skipped: ${unavailable}]`);

const draw = draws(8);

describe.skipIf(unavailable !== undefined)(suite("native BatchMatMul"), () => {
  it("matches the cpu backend on odd sizes, transposes and broadcast batches", async () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[1, 1], [1, 1], false, false],
      [[7, 13], [13, 5], false, false],
      [[13, 7], [13, 5], true, false],
      [[7, 13], [5, 13], false, true],
      [[13, 7], [5, 13], true, true],
      [[3, 33, 17], [3, 17, 129], false, false],
      [[1, 9, 4], [6, 4, 2], false, false], // one a against many b
      [[2, 3, 5, 6], [6, 7], false, false], // rank 4 against rank 2
      [[4, 300], [300, 200], false, false], // split across threads
      [[0, 5], [5, 3], false, false], // empty
    ];
    const calls = vi.spyOn(addon!, "matmul");
    for (const [sa, sb, ta, tb] of cases) {
      const a = draw(sa);
      const b = draw(sb);
      const program = () => tf.matMul(tf.tensor(a, sa), tf.tensor(b, sb), ta, tb);
      const [cpu] = await runOn("cpu", program);
      const [native] = await runOn("native", program);
      expect(native!.shape).toEqual(cpu!.shape);
      const k = ta ? sa[sa.length - 2]! : sa[sa.length - 1]!;
      // Both sum k float32 products; the orders differ, so errors grow like sqrt(k)·2^-24.
      expect(relativeError(native!, cpu!), `${sa} x ${sb}`).toBeLessThan(1e-5 * Math.sqrt(k));
    }
    // Every non-empty case ran in the addon, none fell back to the cpu kernel.
    expect(calls).toHaveBeenCalledTimes(cases.length - 1);
    calls.mockRestore();
  });

  it("leaves batch shapes it does not broadcast one-against-many to the cpu kernel, with its result", async () => {
    // [2,1] against [1,3] batches: the cpu kernel's own (cyclic) indexing decides the result.
    const a = draw([2, 1, 3, 4]);
    const b = draw([1, 3, 4, 2]);
    const program = () => tf.matMul(tf.tensor(a, [2, 1, 3, 4]), tf.tensor(b, [1, 3, 4, 2]));
    const calls = vi.spyOn(addon!, "matmul");
    const [cpu] = await runOn("cpu", program);
    const [native] = await runOn("native", program);
    expect(native!.values).toEqual(cpu!.values);
    expect(calls).not.toHaveBeenCalled();
    calls.mockRestore();
  });

  it("rejects mismatched inner dimensions with tfjs's own error", async () => {
    const program = () => tf.matMul(tf.zeros([2, 3]), tf.zeros([4, 5]));
    const expected = await errorOn("cpu", program);
    expect(expected).toMatch(/inner shapes/);
    expect(await errorOn("native", program)).toBe(expected);
  });

  it("gives the cpu backend's gradients", async () => {
    const a = draw([3, 6, 5]);
    const b = draw([3, 5, 4]);
    const program = () =>
      tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y, false, false))))([
        tf.tensor(a, [3, 6, 5]),
        tf.tensor(b, [3, 5, 4]),
      ]);
    const cpu = await runOn("cpu", program);
    const native = await runOn("native", program);
    // Products of two float32 matmuls with k ≤ 6: a few 2^-24 per term, 1e-5 of the scale.
    for (let i = 0; i < 2; i++) expect(relativeError(native[i]!, cpu[i]!)).toBeLessThan(1e-5);
  });
});

describe.skipIf(unavailable !== undefined)(suite("native _FusedMatMul"), () => {
  it("adds the bias and applies every activation as the cpu backend does", async () => {
    const a = draw([2, 9, 7]);
    const b = draw([2, 7, 6]);
    const perChannel = draw([6]);
    const full = draw([9, 6]);
    const biases: [string, () => tf.Tensor | undefined][] = [
      ["none", () => undefined],
      ["[6]", () => tf.tensor(perChannel, [6])],
      ["scalar", () => tf.scalar(0.25)],
      ["[9, 6] (general path)", () => tf.tensor(full, [9, 6])],
    ];
    const activations: tf.fused.Activation[] = [
      "linear",
      "relu",
      "relu6",
      "elu",
      "sigmoid",
      "leakyrelu",
      "prelu",
    ];
    const fused = vi.spyOn(addon!, "biasActivation");
    for (const [biasName, bias] of biases) {
      for (const activation of activations) {
        for (const preluShape of activation === "prelu" ? [[6], [9, 6]] : [[6]]) {
          const alpha = draw(preluShape).map(Math.abs); // drawn once, outside the program run twice
          const program = () =>
            tf.fused.matMul({
              a: tf.tensor(a, [2, 9, 7]),
              b: tf.tensor(b, [2, 7, 6]),
              bias: bias(),
              activation,
              preluActivationWeights: activation === "prelu" ? tf.tensor(alpha, preluShape) : undefined,
              leakyreluAlpha: 0.15,
            });
          const [cpu] = await runOn("cpu", program);
          const [native] = await runOn("native", program);
          // k = 7 float32 products, then float32 bias and activation (libm's expf for elu/sigmoid).
          expect(relativeError(native!, cpu!), `${biasName} ${activation} ${preluShape}`).toBeLessThan(1e-5);
        }
      }
    }
    // One fused native pass for each per-channel combination, (none, [6], scalar) × 7 activations;
    // the [9, 6] bias and the [9, 6] prelu weights go the general way (Add, then the activation kernel).
    expect(fused).toHaveBeenCalledTimes(3 * 7);
    fused.mockRestore();
  });
});
