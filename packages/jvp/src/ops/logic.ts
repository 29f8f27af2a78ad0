// Ops whose output carries no tangent (comparisons, sign, stopGradient) and cast. They are primitives
// too, so a rule may compute a mask from a tangent-carrying tensor without tripping the
// direct-tfjs-call check, and so nested `jvp` sees them.
import { type Tensor, tf } from "@scm/backend";
import { zero } from "../factories.js";
import { bind, type Input, type Primitive } from "../trace.js";

type Binary = readonly [Input, Input];

function comparison(name: string, op: (a: Input, b: Input) => Tensor): Primitive<Binary, undefined> {
  return { name, impl: ([a, b]) => op(a, b), jvp: zero };
}

export const logicPrimitives = {
  greater: comparison("greater", tf.greater),
  greaterEqual: comparison("greaterEqual", tf.greaterEqual),
  less: comparison("less", tf.less),
  lessEqual: comparison("lessEqual", tf.lessEqual),
  equal: comparison("equal", tf.equal),
  logicalAnd: comparison("logicalAnd", (a, b) => tf.logicalAnd(a, b)),
  sign: { name: "sign", impl: ([x]) => tf.sign(x), jvp: zero } satisfies Primitive<
    readonly [Tensor],
    undefined
  >,
  // Zero tangent; the tfjs implementation also stops reverse-mode gradients.
  stopGradient: {
    name: "stopGradient",
    impl: ([x]) =>
      tf.customGrad((input) => ({
        value: tf.clone(input as Tensor),
        gradFunc: (dy: Tensor) => tf.zerosLike(dy),
      }))(x),
    jvp: zero,
  } satisfies Primitive<readonly [Tensor], undefined>,
  // cast is linear into float32 (ẏ = ẋ); into an integer or bool dtype the tangent is zero.
  cast: {
    name: "cast",
    impl: ([x], { dtype }) => tf.cast(x, dtype),
    jvp: ({ tangents: [t], params: { dtype } }) => (dtype === "float32" ? t : undefined),
  } satisfies Primitive<readonly [Tensor], { dtype: tf.DataType }>,
};

/** a > b as bool (tf.greater); no tangent. */
export function greater(a: Input, b: Input): Tensor {
  return bind(logicPrimitives.greater, [a, b], undefined);
}
/** a ≥ b as bool (tf.greaterEqual); no tangent. */
export function greaterEqual(a: Input, b: Input): Tensor {
  return bind(logicPrimitives.greaterEqual, [a, b], undefined);
}
/** a < b as bool (tf.less); no tangent. */
export function less(a: Input, b: Input): Tensor {
  return bind(logicPrimitives.less, [a, b], undefined);
}
/** a ≤ b as bool (tf.lessEqual); no tangent. */
export function lessEqual(a: Input, b: Input): Tensor {
  return bind(logicPrimitives.lessEqual, [a, b], undefined);
}
/** a = b as bool (tf.equal); no tangent. */
export function equal(a: Input, b: Input): Tensor {
  return bind(logicPrimitives.equal, [a, b], undefined);
}
/** a ∧ b for bool tensors (tf.logicalAnd). */
export function logicalAnd(a: Tensor, b: Tensor): Tensor {
  return bind(logicPrimitives.logicalAnd, [a, b], undefined);
}
/** sign(x) ∈ {−1, 0, 1} (tf.sign); no tangent. */
export function sign(x: Tensor): Tensor {
  return bind(logicPrimitives.sign, [x], undefined);
}
/** `x` with a zero tangent under `jvp` and a zero gradient under tfjs's tape (JAX's stop_gradient). */
export function stopGradient(x: Tensor): Tensor {
  return bind(logicPrimitives.stopGradient, [x], undefined);
}
/** `x` converted to `dtype` (tf.cast); the tangent survives only into float32. */
export function cast(x: Tensor, dtype: tf.DataType): Tensor {
  return bind(logicPrimitives.cast, [x], { dtype });
}
