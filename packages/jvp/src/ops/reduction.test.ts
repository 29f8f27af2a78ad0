import { Rng, randomNormal, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { jvp } from "../jvp.js";
import { describeJvpCases, type JvpCase } from "../jvp-cases.test-util.js";
import { randomDistinct, relativeError } from "../testing/index.js";
import { logSumExp, max, mean, reductionPrimitives, softmax, sum } from "./reduction.js";

const rng = Rng.seeded(14);
const x = randomNormal(rng, [2, 3, 4]);
const distinct = randomDistinct(rng, [2, 3, 4]); // no ties within a finite-difference step

// Tolerances and their reasons: `jvpTolerances`.
const cases: JvpCase[] = [
  ["sum over all axes", (a) => sum(a), [x]],
  ["sum over an axis, keepDims", (a) => sum(a, 1, true), [x]],
  ["mean over axes", (a) => mean(a, [0, 2]), [x]],
  ["max over the last axis", (a) => max(a, -1), [distinct]],
  ["max over all axes", (a) => max(a), [distinct]],
  ["logSumExp over an axis", (a) => logSumExp(a, 1), [x]],
  ["logSumExp, keepDims", (a) => logSumExp(a, -1, true), [x]],
  ["softmax", (a) => softmax(a), [x]],
];

describeJvpCases(cases, rng, reductionPrimitives);

describe("max", () => {
  it("shares the tangent equally between tied maxima", () => {
    const v = tf.tensor1d([1, 3, 3]);
    const t = tf.tensor1d([10, 2, 6]);
    const [out, dt] = jvp((a) => max(a), [v], [t]);
    // Mean of the tangents at the arg-max set {1, 2}: (2 + 6)/2 = 4.
    expect(dt.dataSync()[0]).toBe(4);
    tf.dispose([v, t, out, dt]);
  });
});

describe("softmax", () => {
  it("has tangent p⊙(ẋ − Σp⊙ẋ) (App. F's rowsum term)", () => {
    const t = randomNormal(rng, x.shape);
    const [p, dp] = jvp((a) => softmax(a), [x], [t]);
    const expected = tf.tidy(() => tf.mul(p, tf.sub(t, tf.sum(tf.mul(p, t), -1, true))));
    // The closed form computed the same way in float32: exact.
    expect(relativeError(dp, expected)).toBe(0);
    // A shift along all logits (ẋ = 1) leaves softmax unchanged: tangent 0 up to rounding ~1e-7.
    const [p2, dShift] = jvp((a) => softmax(a), [x], [tf.onesLike(x)]);
    expect(Math.max(...Array.from(dShift.dataSync()).map(Math.abs))).toBeLessThan(1e-6);
    tf.dispose([t, p, dp, expected, p2, dShift]);
  });

  it("rejects an axis other than the last", () => {
    expect(() => softmax(x, 0)).toThrow(/softmax's dim is 0; expected the last axis/);
  });
});
