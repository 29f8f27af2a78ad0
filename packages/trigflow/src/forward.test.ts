import { Rng, randomNormal, tf } from "@scm/backend";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { describe, expect, it } from "vitest";
import { TrigflowRangeError, TrigflowShapeError } from "./errors.js";
import { forwardProcess, velocityTarget } from "./forward.js";
import { maxRelativeError } from "./testing/stats.js";

// float32 arithmetic on O(1) numbers: a few ulps (6e-8 each) of relative error.
const F32 = 1e-6;
const sigmaData = 0.5;
keepTensorCount(() => tf.memory().numTensors);

function pair(seed: number, shape: number[]) {
  const rng = Rng.seeded(seed);
  return { x0: randomNormal(rng, shape, 0.8), z: randomNormal(rng, shape, sigmaData) };
}

describe("forwardProcess", () => {
  it("equals cos t·x0 + sin t·z element by element for a number t", () => {
    const { x0, z } = pair(1, [3, 2, 2, 1]);
    const t = 0.7;
    const xt = forwardProcess(x0, z, t);
    const [a, b, c] = [x0.dataSync(), z.dataSync(), xt.dataSync()];
    const expected = Array.from(a, (v, i) => Math.cos(t) * v + Math.sin(t) * b[i]!); // §3
    expect(maxRelativeError(c, expected)).toBeLessThan(F32);
    tf.dispose([x0, z, xt]);
  });

  it("broadcasts a per-sample t [B] over the remaining dimensions", () => {
    const { x0, z } = pair(2, [3, 2, 2, 1]);
    const ts = [0, 0.4, Math.PI / 2];
    const t = tf.tensor1d(ts);
    const xt = forwardProcess(x0, z, t);
    for (let i = 0; i < 3; i++) {
      const [a, b, got] = [x0.slice([i], [1]), z.slice([i], [1]), xt.slice([i], [1])];
      const row = forwardProcess(a, b, ts[i]!);
      expect(maxRelativeError(got, row)).toBeLessThan(F32); // the same formula, one sample at a time
      tf.dispose([a, b, row, got]);
    }
    tf.dispose([x0, z, t, xt]);
  });

  it("is x0 at t = 0 and z at t = π/2", () => {
    const { x0, z } = pair(3, [2, 4]);
    const [a, b] = [forwardProcess(x0, z, 0), forwardProcess(x0, z, Math.PI / 2)];
    expect(maxRelativeError(a, x0)).toBe(0); // cos 0 = 1, sin 0 = 0 exactly
    expect(maxRelativeError(b, z)).toBeLessThan(F32); // cos(π/2) = 6e-17 in float64
    tf.dispose([x0, z, a, b]);
  });

  it("rejects t outside [0, π/2], NaN, mismatched shapes and non-finite inputs", () => {
    const { x0, z } = pair(4, [2, 3]);
    expect(() => forwardProcess(x0, z, 2)).toThrow(new TrigflowRangeError("t", 2, "a value in [0, π/2]"));
    expect(() => forwardProcess(x0, z, -0.1)).toThrow(/^t is -0.1; expected a value in \[0, π\/2\]\.$/);
    expect(() => forwardProcess(x0, z, Number.NaN)).toThrow(TrigflowRangeError);
    const bad = tf.tensor1d([0.5, 1.7]);
    expect(() => forwardProcess(x0, z, bad)).toThrow(/^t contains 1.7\d* at index 1; expected values in/);
    const wrongBatch = tf.tensor1d([0.5, 0.5, 0.5]);
    expect(() => forwardProcess(x0, z, wrongBatch)).toThrow(
      new TrigflowShapeError("t", [3], "[] or [2] (the batch of x0)"),
    );
    const zWrong = tf.zeros([2, 4]);
    expect(() => forwardProcess(x0, zWrong, 0.5)).toThrow(
      /^z has shape \[2, 4\]; expected \[2, 3\], the shape of x0\.$/,
    );
    const nan = tf.tensor2d([
      [0, Number.NaN, 0],
      [0, 0, 0],
    ]);
    expect(() => forwardProcess(nan, z, 0.5)).toThrow(
      /^x0 contains NaN or infinite values; expected finite numbers\.$/,
    );
    tf.dispose([x0, z, bad, wrongBatch, zWrong, nan]);
  });
});

describe("velocityTarget", () => {
  it("is the t-derivative of x_t (central difference)", () => {
    const { x0, z } = pair(5, [4, 3]);
    const [t, h] = [0.9, 1e-3];
    const v = velocityTarget(x0, z, t);
    const [up, down] = [forwardProcess(x0, z, t + h), forwardProcess(x0, z, t - h)];
    const fd = tf.tidy(() => tf.div(tf.sub(up, down), 2 * h));
    // Central difference error h²/6·|x'''| ≈ 2e-7, plus float32 cancellation 1e-7/h ≈ 1e-4 relative.
    expect(maxRelativeError(v, fd)).toBeLessThan(5e-4);
    tf.dispose([x0, z, v, up, down, fd]);
  });

  it("rotates with x_t back to (x0, z): cos t·x_t − sin t·v_t = x0 and sin t·x_t + cos t·v_t = z", () => {
    const { x0, z } = pair(6, [5, 2]);
    const t = tf.tensor1d([0.1, 0.5, 0.9, 1.3, 1.5]);
    const [xt, v] = [forwardProcess(x0, z, t), velocityTarget(x0, z, t)];
    const [backX0, backZ] = tf.tidy(() => {
      const c = tf.cos(t).reshape([5, 1]);
      const s = tf.sin(t).reshape([5, 1]);
      return [tf.sub(tf.mul(c, xt), tf.mul(s, v)), tf.add(tf.mul(s, xt), tf.mul(c, v))];
    });
    expect(maxRelativeError(backX0, x0)).toBeLessThan(F32); // a rotation by −t
    expect(maxRelativeError(backZ, z)).toBeLessThan(F32);
    tf.dispose([x0, z, t, xt, v, backX0, backZ]);
  });
});
