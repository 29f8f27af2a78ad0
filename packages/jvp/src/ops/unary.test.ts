import { Rng, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { jvp } from "../jvp.js";
import { describeJvpCases, type JvpCase } from "../jvp-cases.test-util.js";
import { randomAwayFromZero, relativeError } from "../testing/index.js";
import { cos, erf, exp, log, sigmoid, sin, softplus, tanh, unaryPrimitives } from "./unary.js";

const rng = Rng.seeded(12);
const x = randomAwayFromZero(rng, [3, 4]);
const positive = tf.add(tf.abs(x), 0.5);

// Tolerances and their reasons: `jvpTolerances`.
const cases: JvpCase[] = [
  ["exp", exp, [x]],
  ["log", log, [positive]],
  ["sin", sin, [x]],
  ["cos", cos, [x]],
  ["tanh", tanh, [x]],
  ["sigmoid", sigmoid, [x]],
  ["softplus", softplus, [x]],
  ["erf", erf, [x]],
];

describeJvpCases(cases, rng, unaryPrimitives);

describe("sin", () => {
  it("has tangent cos(x)·ẋ", () => {
    const [out, t] = jvp(sin, [x], [positive]);
    const expected = tf.mul(tf.cos(x), positive);
    // The rule computes exactly this product in float32.
    expect(relativeError(t, expected)).toBe(0);
    tf.dispose([out, t, expected]);
  });
});
