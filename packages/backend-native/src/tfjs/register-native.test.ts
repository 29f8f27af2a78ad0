import { describe, expect, it } from "vitest";
import { relativeError, runOn } from "../testing/compare-backends.js";
import { draws } from "../testing/fixtures.js";
import { nativeForTests } from "../testing/native.js";
import { nativeBackendName, nativeKernels } from "./register-native.js";
import { tf } from "./tf.js";

// The native backend needs the compiled addon; without it these suites skip and say why.
const { unavailable } = await nativeForTests();
const suite = (name: string) => (unavailable === undefined ? name : `${name} [skipped: ${unavailable}]`);

const draw = draws(89);

describe.skipIf(unavailable !== undefined)(suite("registerNativeBackend"), () => {
  it("registers every cpu kernel for the native backend, the replaced ones among them", () => {
    const cpu = tf.getKernelsForBackend("cpu").map((k) => k.kernelName);
    const native = tf.getKernelsForBackend(nativeBackendName).map((k) => k.kernelName);
    // Beyond cpu's, only the fused kernels, registered when @scm/backend passes its fused ops (its
    // native/fused-kernels.test.ts checks them all).
    expect(native.filter((name) => !cpu.includes(name) && !name.startsWith("Scm"))).toEqual([]);
    for (const name of cpu) expect(native).toContain(name);
    for (const name of Object.keys(nativeKernels)) expect(cpu).toContain(name);
  });

  it("gives the cpu backend's gradients for a small training step (convs, GroupNorm, SiLU, softmax)", async () => {
    const x = draw([2, 8, 8, 4]);
    const w1 = draw([3, 3, 4, 8], 0.3);
    const w2 = draw([3, 3, 8, 6], 0.3);
    const dense = draw([6, 5], 0.3);
    const program = () => {
      const params = [tf.tensor(w1, [3, 3, 4, 8]), tf.tensor(w2, [3, 3, 8, 6]), tf.tensor(dense, [6, 5])];
      const loss = (a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) => {
        let h = tf.conv2d(tf.tensor4d(x, [2, 8, 8, 4]), a as tf.Tensor4D, 1, "same");
        // GroupNorm with 2 groups of 4 channels: moments over H, W and the group's channels.
        const g = tf.reshape(h, [2, 8, 8, 2, 4]);
        const { mean, variance } = tf.moments(g, [1, 2, 4], true);
        h = tf.reshape(tf.div(tf.sub(g, mean), tf.sqrt(tf.add(variance, 1e-5))), [2, 8, 8, 8]);
        h = tf.mul(h, tf.sigmoid(h)); // SiLU
        h = tf.conv2d(h as tf.Tensor4D, b as tf.Tensor4D, 2, "same");
        const logits = tf.matMul(tf.mean(h, [1, 2]), d);
        return tf.add(tf.mean(tf.square(h)), tf.mean(tf.logSoftmax(logits)));
      };
      const { value, grads } = tf.valueAndGrads(loss)(params);
      return [value, ...grads];
    };
    const cpu = await runOn("cpu", program);
    const native = await runOn("native", program);
    // Every kernel above agrees to ~1e-6 of its scale; through a dozen ops and two normalisations
    // the differences stay below 1e-4 of each gradient's scale.
    for (let i = 0; i < cpu.length; i++)
      expect(relativeError(native[i]!, cpu[i]!), `output ${i}`).toBeLessThan(1e-4);
  });

  it("leaks no tensors and no memory over 10,000 calls", async () => {
    const previous = tf.getBackend();
    await tf.setBackend(nativeBackendName);
    try {
      const x = tf.tensor4d(draw([1, 4, 4, 2]), [1, 4, 4, 2]);
      const w = tf.tensor4d(draw([3, 3, 2, 2]), [3, 3, 2, 2]);
      const step = () =>
        tf
          .tidy(() => {
            const y = tf.fused.conv2d({
              x,
              filter: w,
              strides: 1,
              pad: "same",
              bias: tf.scalar(0.1),
              activation: "relu",
            });
            const z = tf.matMul(tf.reshape(y, [16, 2]), tf.reshape(w, [2, 18]), false, false);
            const s = tf.softmax(tf.add(z, tf.sigmoid(z)));
            return tf.sum(tf.mul(s, tf.mean(s, 0)));
          })
          .dispose();
      for (let i = 0; i < 1000; i++) step();
      const tensors = tf.memory().numTensors;
      const bytes = tf.memory().numBytes;
      const rss = process.memoryUsage().rss;
      for (let i = 0; i < 10_000; i++) step();
      expect(tf.memory().numTensors).toBe(tensors);
      expect(tf.memory().numBytes).toBe(bytes);
      // Each step allocates ~7 KB of outputs: 70 MB over the run if nothing were freed. What remains
      // is V8's heap settling, well under the bound; the tensor counts catch any single leak.
      expect(process.memoryUsage().rss - rss).toBeLessThan(32 * 2 ** 20);
      tf.dispose([x, w]);
    } finally {
      await tf.setBackend(previous);
    }
  });
});
