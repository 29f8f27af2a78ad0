// Nonlinear unary primitives with hand rules; each rule's derivative is written above it and reuses
// the primal output where that is cheaper (exp, tanh, sigmoid).
import { type Tensor, tf } from "@scm/backend";
import { bind, type Primitive } from "../trace.js";
import { div, mul, neg, square, sub } from "./arithmetic.js";

type Unary = readonly [Tensor];

/** A unary primitive from its tfjs op and its rule ẏ = rule(x, ẋ, y). */
function unary(
  name: string,
  op: (x: Tensor) => Tensor,
  rule: (x: Tensor, t: Tensor, out: Tensor) => Tensor,
): Primitive<Unary, undefined> {
  return { name, impl: ([x]) => op(x), jvp: ({ primals: [x], tangents: [t], out }) => rule(x, t!, out) };
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

export const unaryPrimitives = {
  // d eˣ = eˣ·ẋ
  exp: unary("exp", tf.exp, (_x, t, out) => mul(t, out)),
  // d ln x = ẋ/x
  log: unary("log", tf.log, (x, t) => div(t, x)),
  // d sin x = cos x·ẋ
  sin: unary("sin", tf.sin, (x, t) => mul(t, cos(x))),
  // d cos x = −sin x·ẋ
  cos: unary("cos", tf.cos, (x, t) => neg(mul(t, sin(x)))),
  // d tanh x = (1 − tanh² x)·ẋ
  tanh: unary("tanh", tf.tanh, (_x, t, out) => mul(t, sub(1, square(out)))),
  // d σ(x) = σ(x)(1 − σ(x))·ẋ
  sigmoid: unary("sigmoid", tf.sigmoid, (_x, t, out) => mul(t, mul(out, sub(1, out)))),
  // d ln(1 + eˣ) = σ(x)·ẋ
  softplus: unary("softplus", tf.softplus, (x, t) => mul(t, sigmoid(x))),
  // d erf x = (2/√π)·e^(−x²)·ẋ
  erf: unary("erf", tf.erf, (x, t) => mul(t, mul(exp(neg(square(x))), TWO_OVER_SQRT_PI))),
};

/** eˣ (tf.exp). */
export function exp(x: Tensor): Tensor {
  return bind(unaryPrimitives.exp, [x], undefined);
}
/** ln x (tf.log). */
export function log(x: Tensor): Tensor {
  return bind(unaryPrimitives.log, [x], undefined);
}
/** sin x (tf.sin). */
export function sin(x: Tensor): Tensor {
  return bind(unaryPrimitives.sin, [x], undefined);
}
/** cos x (tf.cos). */
export function cos(x: Tensor): Tensor {
  return bind(unaryPrimitives.cos, [x], undefined);
}
/** tanh x (tf.tanh). */
export function tanh(x: Tensor): Tensor {
  return bind(unaryPrimitives.tanh, [x], undefined);
}
/** σ(x) = 1/(1 + e⁻ˣ) (tf.sigmoid). */
export function sigmoid(x: Tensor): Tensor {
  return bind(unaryPrimitives.sigmoid, [x], undefined);
}
/** ln(1 + eˣ) (tf.softplus). */
export function softplus(x: Tensor): Tensor {
  return bind(unaryPrimitives.softplus, [x], undefined);
}
/** The error function (tf.erf). */
export function erf(x: Tensor): Tensor {
  return bind(unaryPrimitives.erf, [x], undefined);
}
