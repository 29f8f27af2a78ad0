// Reductions (linear: sum, mean; piecewise: max) and the softmax family, whose hand rules reuse the
// primal output: d softmax = p⊙(ẋ − Σ p⊙ẋ), d logsumexp = Σ softmax⊙ẋ.
import { type Tensor, tf } from "@scm/backend";
import { linear } from "../factories.js";
import { bind, type Primitive } from "../trace.js";
import { div, mul, sub } from "./arithmetic.js";
import { cast, equal } from "./logic.js";
import { reshape } from "./shape.js";
import { exp } from "./unary.js";

/** Reduction axes, as tfjs takes them: all axes when omitted. */
export type Axis = number | number[] | undefined;
export interface Reduce {
  axis: Axis;
  keepDims: boolean;
}
type Unary = readonly [Tensor];

/** The shape of a reduction's output with the reduced axes kept as size 1. */
export function keptShape(shape: readonly number[], axis: Axis): number[] {
  const axes =
    axis === undefined ? shape.map((_, i) => i) : [axis].flat().map((a) => (a < 0 ? a + shape.length : a));
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

export const reductionPrimitives = {
  sum: {
    name: "sum",
    impl: ([x], { axis, keepDims }) => tf.sum(x, axis, keepDims),
    jvp: linear((t, _x, { axis, keepDims }) => sum(t, axis, keepDims)),
  } satisfies Primitive<Unary, Reduce>,
  mean: {
    name: "mean",
    impl: ([x], { axis, keepDims }) => tf.mean(x, axis, keepDims),
    jvp: linear((t, _x, { axis, keepDims }) => mean(t, axis, keepDims)),
  } satisfies Primitive<Unary, Reduce>,
  // d max x = mean of ẋ over the arg-max set (ties share the tangent equally, as JAX)
  max: {
    name: "max",
    impl: ([x], { axis, keepDims }) => tf.max(x, axis, keepDims),
    jvp: ({ primals: [x], tangents: [t], out, params: { axis, keepDims } }) => {
      const isMax = cast(equal(x, reshape(out, keptShape(x.shape, axis))), "float32");
      return div(sum(mul(t!, isMax), axis, keepDims), sum(isMax, axis, keepDims));
    },
  } satisfies Primitive<Unary, Reduce>,
  // d log Σ eˣ = Σ softmax(x)⊙ẋ
  logSumExp: {
    name: "logSumExp",
    impl: ([x], { axis, keepDims }) => tf.logSumExp(x, axis, keepDims),
    jvp: ({ primals: [x], tangents: [t], out, params: { axis, keepDims } }) =>
      sum(mul(t!, exp(sub(x, reshape(out, keptShape(x.shape, axis))))), axis, keepDims),
  } satisfies Primitive<Unary, Reduce>,
  // d softmax(x) = p⊙(ẋ − Σ_last p⊙ẋ), p = softmax(x) (App. F's rowsum term)
  softmax: {
    name: "softmax",
    impl: ([x]) => tf.softmax(x),
    jvp: ({ tangents: [t], out }) => mul(out, sub(t!, sum(mul(out, t!), -1, true))),
  } satisfies Primitive<Unary, undefined>,
};

/** Σ over `axis` (all when omitted) (tf.sum). */
export function sum(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  return bind(reductionPrimitives.sum, [x], { axis, keepDims });
}
/** Mean over `axis` (all when omitted) (tf.mean). */
export function mean(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  return bind(reductionPrimitives.mean, [x], { axis, keepDims });
}
/** Max over `axis` (all when omitted) (tf.max). */
export function max(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  return bind(reductionPrimitives.max, [x], { axis, keepDims });
}
/** log Σ exp(x) over `axis`, computed stably (tf.logSumExp). */
export function logSumExp(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  return bind(reductionPrimitives.logSumExp, [x], { axis, keepDims });
}
/** Softmax over the last axis (tf.softmax). */
export function softmax(logits: Tensor, dim = -1): Tensor {
  if (dim !== -1 && dim !== logits.rank - 1) {
    throw new RangeError(`softmax's dim is ${dim}; expected the last axis (-1 or ${logits.rank - 1}).`);
  }
  return bind(reductionPrimitives.softmax, [logits], undefined);
}
