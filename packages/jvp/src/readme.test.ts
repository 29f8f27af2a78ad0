// The README's example, verbatim between the markers (keep them in sync), with its results checked.
import { Rng, randomNormal, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { conv2d, groupNorm, jvp, silu } from "./index.js";
import { jvpFiniteDifferenceError, jvpTolerances } from "./testing/index.js";

describe("README example", () => {
  it("runs, and its dy matches finite differences", () => {
    const before = tf.memory().numTensors;
    // --- README begin
    const rng = Rng.seeded(0);
    const w = randomNormal(rng, [3, 3, 4, 4], 0.2); // a parameter: no tangent, costs nothing
    const block = (x: tf.Tensor) => silu(groupNorm(conv2d(x, w, 1, "same"), 2));

    const x = randomNormal(rng, [1, 8, 8, 4]); // [B, H, W, C]
    const v = tf.onesLike(x);
    const [y, dy] = jvp(block, [x], [v]); // y = block(x), dy = J·v (one extra conv)
    // --- README end (the rest of the example prints and disposes)
    expect(y.shape).toEqual([1, 8, 8, 4]);
    expect(dy.shape).toEqual([1, 8, 8, 4]);
    // Tolerance and its reason: `jvpTolerances`.
    expect(jvpFiniteDifferenceError(block, [x], { rng, tangents: [[v]] })).toBeLessThan(
      jvpTolerances.finiteDifference,
    );
    const g = tf.grad((x: tf.Tensor) => tf.sum(block(x)))(x);
    tf.dispose([w, x, v, y, dy, g]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
