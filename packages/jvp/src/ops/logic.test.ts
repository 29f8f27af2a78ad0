import { Rng, randomNormal, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { jvp } from "../jvp.js";
import { add, mul } from "./arithmetic.js";
import {
  cast,
  equal,
  greater,
  greaterEqual,
  less,
  lessEqual,
  logicalAnd,
  sign,
  stopGradient,
} from "./logic.js";

const rng = Rng.seeded(13);
const x = randomNormal(rng, [2, 3]);
const t = randomNormal(rng, [2, 3]);

describe("stopGradient", () => {
  it("has a zero tangent under jvp", () => {
    const [out, dt] = jvp((a) => add(mul(stopGradient(a), 2), 0), [x], [t]);
    // d(2·stop(x)) = 0 exactly.
    expect(Array.from(dt.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    tf.dispose([out, dt]);
  });

  it("has a zero gradient under tfjs's reverse mode and passes values through", () => {
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(stopGradient(a), a)))(x);
    // d/dx Σ stop(x)·x = stop(x) = x.
    expect(Array.from(g.dataSync())).toEqual(Array.from(x.dataSync()));
    g.dispose();
  });
});

describe("comparisons", () => {
  it("give the tfjs results and no tangent", () => {
    const ops = [greater, greaterEqual, less, lessEqual, equal];
    const refs = [tf.greater, tf.greaterEqual, tf.less, tf.lessEqual, tf.equal];
    ops.forEach((op, i) => {
      const [out, dt] = jvp((a) => cast(op(a, 0.1), "float32"), [x], [t]);
      const ref = refs[i]!(x, 0.1);
      expect(Array.from(out.dataSync())).toEqual(Array.from(ref.dataSync()).map(Number));
      // A piecewise-constant function has tangent 0.
      expect(Array.from(dt.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
      tf.dispose([out, dt, ref]);
    });
    const both = logicalAnd(greater(x, -1), less(x, 1));
    const ref = tf.logicalAnd(tf.greater(x, -1), tf.less(x, 1));
    expect(Array.from(both.dataSync())).toEqual(Array.from(ref.dataSync()));
    const s = sign(x);
    expect(Array.from(s.dataSync())).toEqual(Array.from(x.dataSync()).map(Math.sign));
    tf.dispose([both, ref, s]);
  });
});

describe("cast", () => {
  it("passes the tangent into float32 and drops it into int32", () => {
    const [out, dt] = jvp((a) => add(cast(a, "float32"), cast(cast(a, "int32"), "float32")), [x], [t]);
    // d(x + int(x)) = ẋ (the integer part is piecewise constant).
    expect(Array.from(dt.dataSync())).toEqual(Array.from(t.dataSync()));
    tf.dispose([out, dt]);
  });
});
