import { Rng, randomNormal, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { jvp } from "../jvp.js";
import { describeJvpCases, type JvpCase } from "../jvp-cases.test-util.js";
import { randomAwayFromZero, relativeError } from "../testing/index.js";
import {
  abs,
  add,
  arithmeticPrimitives,
  broadcastTo,
  clipByValue,
  div,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  relu,
  rsqrt,
  sqrt,
  square,
  sub,
  where,
} from "./arithmetic.js";
import { greater } from "./logic.js";

const rng = Rng.seeded(11);
const x = randomAwayFromZero(rng, [2, 3]); // [2, 3], |x| ≥ 0.25: no kink within a step of 1e-2
const y = randomAwayFromZero(rng, [2, 3]);
const row = randomAwayFromZero(rng, [3]); // broadcasts against [2, 3]
const positive = tf.add(tf.abs(x), 0.5); // > 0.5 for sqrt, rsqrt, pow, log
const cond = greater(randomNormal(rng, [2, 3]), 0);

// Each op (with broadcasting and number operands where tfjs takes them) against central finite
// differences and the dot-product identity; tolerances and their reasons: `jvpTolerances`.
const cases: JvpCase[] = [
  ["add", add, [x, y]],
  ["add, broadcasting and a number", (a, b) => add(add(a, b), 2), [x, row]],
  ["sub", sub, [x, y]],
  ["sub, broadcasting the first operand", (a, b) => sub(b, a), [x, row]],
  ["neg", neg, [x]],
  ["mul", mul, [x, y]],
  ["mul, broadcasting and a number", (a, b) => mul(mul(a, b), -3), [x, row]],
  ["div", div, [x, positive]],
  ["div, a number over a tensor", (a) => div(2, a), [positive]],
  ["div, broadcasting the divisor", (a, b) => div(a, b), [x, row]],
  ["square", square, [x]],
  ["sqrt", sqrt, [positive]],
  ["rsqrt", rsqrt, [positive]],
  ["pow, tensor exponent", pow, [positive, y]],
  ["pow, number exponent", (a) => pow(a, 3), [x]],
  ["pow, number base", (b) => pow(2, b), [y]],
  ["abs", abs, [x]],
  ["maximum", maximum, [x, y]],
  ["maximum with a number", (a) => maximum(a, 0.1), [x]],
  ["minimum", minimum, [x, y]],
  ["minimum, broadcasting", minimum, [x, row]],
  ["where", (a, b) => where(cond, a, b), [x, y]],
  ["where, one branch a number", (a) => where(cond, a, 0), [x]],
  ["clipByValue", (a) => clipByValue(a, -0.6, 0.7), [x]],
  ["relu", relu, [x]],
  ["broadcastTo", (a) => broadcastTo(a, [4, 2, 3]), [x]],
];

describeJvpCases(cases, rng, arithmeticPrimitives);

describe("mul", () => {
  it("gives ȧ·b when only a carries a tangent (b's tangent is a symbolic zero)", () => {
    const [, t] = jvp((a) => mul(a, y), [x], [row.broadcastTo([2, 3])]);
    const expected = tf.mul(row, y);
    // Same float32 products in the same order: exact.
    expect(relativeError(t, expected)).toBe(0);
    tf.dispose([t, expected]);
  });
});

describe("add", () => {
  it("broadcasts a lower-rank operand's tangent to the output shape", () => {
    const ones = tf.onesLike(row);
    const [out, t] = jvp((b) => add(x, b), [row], [ones]);
    expect(t.shape).toEqual([2, 3]);
    // d(x + b)/db along 1 is 1 everywhere.
    expect(Array.from(t.dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
    tf.dispose([out, t, ones]);
  });
});

describe("relu", () => {
  it("has tangent ẋ where x > 0 and 0 elsewhere", () => {
    const v = tf.tensor1d([-1, 0, 2]);
    const t = tf.tensor1d([5, 6, 7]);
    const [out, dt] = jvp(relu, [v], [t]);
    // Closed form: [0, 0, 7] (0 at x = 0, as tfjs's gradient).
    expect(Array.from(dt.dataSync())).toEqual([0, 0, 7]);
    tf.dispose([v, t, out, dt]);
  });
});
