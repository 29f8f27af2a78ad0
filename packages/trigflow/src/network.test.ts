import { tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { type NetworkFn, velocityOf } from "./network.js";

describe("velocityOf", () => {
  it("returns the network's F for the given options and frees logvar", () => {
    const seen: unknown[] = [];
    // F = 2·x + t (t broadcast over the sample), logvar = −t: values we can check by hand.
    const net: NetworkFn = (x, t, options) => {
      seen.push(options?.label);
      return tf.tidy(() => ({ F: tf.add(tf.mul(x, 2), tf.reshape(t, [-1, 1])), logvar: tf.neg(t) }));
    };
    const label = tf.tensor1d([3, 1], "int32");
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const t = tf.tensor1d([0.5, 1]);
    const before = tf.memory().numTensors;
    const F = velocityOf(net, { label })(x, t);
    expect(Array.from(F.dataSync())).toEqual([2.5, 4.5, 7, 9]);
    expect(seen).toEqual([label]);
    F.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([label, x, t]);
  });
});
