// Elementwise arithmetic with broadcasting, as tfjs: linear (add, sub, neg), bilinear (mul) and hand
// rules for the nonlinear ones, each derivative written above its rule.
import { sameShape, type Tensor, tf } from "@scm/backend";
import { bilinear, sumTangents } from "../factories.js";
import { bind, type Input, type Primitive, type Tangent, type TangentRule } from "../trace.js";
import { cast, greater, greaterEqual, lessEqual, logicalAnd, sign } from "./logic.js";
import { log } from "./unary.js";

type Binary = readonly [Input, Input];

/** `t` broadcast to `shape` when an input was broadcast (the tangent always has the output's shape). */
function toShape(t: Tangent, shape: number[]): Tangent {
  return t === undefined || sameShape(t.shape, shape) ? t : broadcastToShape(t, shape);
}

const broadcastToPrimitive: Primitive<readonly [Tensor], { shape: number[] }> = {
  name: "broadcastTo",
  impl: ([x], { shape }) => tf.broadcastTo(x, shape),
  jvp: ({ tangents: [t], params: { shape } }) => (t === undefined ? undefined : broadcastToShape(t, shape)),
};
function broadcastToShape(x: Tensor, shape: number[]): Tensor {
  return bind(broadcastToPrimitive, [x], { shape });
}

/**
 * `op` on a and b broadcast to a common shape first: tfjs 4.22's Maximum/Minimum gradients fail when
 * the inputs broadcast, while broadcastTo's gradient sums correctly.
 */
function broadcastFirst(op: (a: Input, b: Input) => Tensor, a: Input, b: Input): Tensor {
  if (typeof a === "number" || typeof b === "number" || sameShape(a.shape, b.shape)) return op(a, b);
  const shape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
  return tf.tidy(() => op(tf.broadcastTo(a, shape), tf.broadcastTo(b, shape)));
}

/** The mask `cond` as float32 (1 where true), for rules of piecewise ops. */
function indicator(cond: Tensor): Tensor {
  return cast(cond, "float32");
}

/** Rule of an op that returns a where `picksA(a, b)` holds, else b: ẏ = ȧ·[picksA] + ḃ·(1 − [picksA]). */
function selectRule(picksA: (a: Input, b: Input) => Tensor): TangentRule<Binary, undefined> {
  return ({ primals: [a, b], tangents: [ta, tb], out }) => {
    const pickA = indicator(picksA(a, b));
    return sumTangents(
      ta === undefined ? undefined : toShape(mul(ta, pickA), out.shape),
      tb === undefined ? undefined : toShape(mul(tb, sub(1, pickA)), out.shape),
      add,
    );
  };
}

export const arithmeticPrimitives = {
  broadcastTo: broadcastToPrimitive,
  // d(a + b) = ȧ + ḃ (each broadcast to the output)
  add: {
    name: "add",
    impl: ([a, b]) => tf.add(a, b),
    jvp: ({ tangents: [ta, tb], out }) => sumTangents(toShape(ta, out.shape), toShape(tb, out.shape), add),
  } satisfies Primitive<Binary, undefined>,
  // d(a − b) = ȧ − ḃ
  sub: {
    name: "sub",
    impl: ([a, b]) => tf.sub(a, b),
    jvp: ({ tangents: [ta, tb], out }) =>
      ta === undefined
        ? toShape(neg(tb!), out.shape)
        : tb === undefined
          ? toShape(ta, out.shape)
          : sub(ta, tb),
  } satisfies Primitive<Binary, undefined>,
  neg: {
    name: "neg",
    impl: ([x]) => tf.neg(x),
    jvp: ({ tangents: [t] }) => neg(t!),
  } satisfies Primitive<readonly [Tensor], undefined>,
  // d(a·b) = ȧ·b + a·ḃ
  mul: {
    name: "mul",
    impl: ([a, b]) => tf.mul(a, b),
    jvp: bilinear<Input, Input, undefined>((a, b) => mul(a, b), add),
  } satisfies Primitive<Binary, undefined>,
  // d(a/b) = (ȧ − ḃ·(a/b))/b
  div: {
    name: "div",
    impl: ([a, b]) => tf.div(a, b),
    jvp: ({ primals: [, b], tangents: [ta, tb], out }) => {
      if (tb === undefined) return div(ta!, b);
      const tbOut = mul(tb, out);
      return ta === undefined ? neg(div(tbOut, b)) : div(sub(ta, tbOut), b);
    },
  } satisfies Primitive<Binary, undefined>,
  // d(x²) = 2x·ẋ
  square: {
    name: "square",
    impl: ([x]) => tf.square(x),
    jvp: ({ primals: [x], tangents: [t] }) => mul(t!, mul(x, 2)),
  } satisfies Primitive<readonly [Tensor], undefined>,
  // d√x = ẋ/(2√x)
  sqrt: {
    name: "sqrt",
    impl: ([x]) => tf.sqrt(x),
    jvp: ({ tangents: [t], out }) => div(t!, mul(out, 2)),
  } satisfies Primitive<readonly [Tensor], undefined>,
  // d(1/√x) = −½·x^(−3/2)·ẋ = −½·ẋ·(1/√x)/x
  rsqrt: {
    name: "rsqrt",
    impl: ([x]) => tf.rsqrt(x),
    jvp: ({ primals: [x], tangents: [t], out }) => mul(t!, div(mul(out, -0.5), x)),
  } satisfies Primitive<readonly [Tensor], undefined>,
  // d(a^b) = b·a^(b−1)·ȧ + a^b·ln(a)·ḃ
  pow: {
    name: "pow",
    impl: ([a, b]) => tf.pow(a, b),
    jvp: ({ primals: [a, b], tangents: [ta, tb], out }) =>
      sumTangents(
        ta === undefined ? undefined : mul(ta, mul(b, pow(a, typeof b === "number" ? b - 1 : sub(b, 1)))),
        tb === undefined ? undefined : mul(tb, mul(out, typeof a === "number" ? Math.log(a) : log(a))),
        add,
      ),
  } satisfies Primitive<Binary, undefined>,
  // d|x| = sign(x)·ẋ (0 at x = 0, as tfjs's gradient)
  abs: {
    name: "abs",
    impl: ([x]) => tf.abs(x),
    jvp: ({ primals: [x], tangents: [t] }) => mul(t!, sign(x)),
  } satisfies Primitive<readonly [Tensor], undefined>,
  // d max(a, b) = ȧ where a ≥ b, else ḃ (ties go to a, as tfjs's gradient)
  maximum: {
    name: "maximum",
    impl: ([a, b]) => broadcastFirst(tf.maximum, a, b),
    jvp: selectRule(greaterEqual),
  } satisfies Primitive<Binary, undefined>,
  // d min(a, b) = ȧ where a ≤ b, else ḃ
  minimum: {
    name: "minimum",
    impl: ([a, b]) => broadcastFirst(tf.minimum, a, b),
    jvp: selectRule(lessEqual),
  } satisfies Primitive<Binary, undefined>,
  // d where(c, a, b) = where(c, ȧ, ḃ); the condition carries no tangent
  where: {
    name: "where",
    impl: ([c, a, b]) => tf.where(c as Tensor, a, b),
    jvp: ({ primals: [c], tangents: [, ta, tb], out }) =>
      toShape(where(c as Tensor, ta ?? 0, tb ?? 0), out.shape),
  } satisfies Primitive<readonly [Input, Input, Input], undefined>,
  // d clip(x, lo, hi) = ẋ where lo ≤ x ≤ hi, else 0 (as tfjs's gradient)
  clipByValue: {
    name: "clipByValue",
    impl: ([x], { lo, hi }) => tf.clipByValue(x, lo, hi),
    jvp: ({ primals: [x], tangents: [t], params: { lo, hi } }) =>
      mul(t!, indicator(logicalAnd(greaterEqual(x, lo), lessEqual(x, hi)))),
  } satisfies Primitive<readonly [Tensor], { lo: number; hi: number }>,
  // d relu(x) = ẋ where x > 0 (0 at x = 0, as tfjs's gradient)
  relu: {
    name: "relu",
    impl: ([x]) => tf.relu(x),
    jvp: ({ primals: [x], tangents: [t] }) => mul(t!, indicator(greater(x, 0))),
  } satisfies Primitive<readonly [Tensor], undefined>,
};

// Unary primitives' jvp rules are only called with a tangent, hence the `t!` above.

/** a + b, broadcasting (tf.add). */
export function add(a: Input, b: Input): Tensor {
  return bind(arithmeticPrimitives.add, [a, b], undefined);
}
/** a − b, broadcasting (tf.sub). */
export function sub(a: Input, b: Input): Tensor {
  return bind(arithmeticPrimitives.sub, [a, b], undefined);
}
/** −x (tf.neg). */
export function neg(x: Tensor): Tensor {
  return bind(arithmeticPrimitives.neg, [x], undefined);
}
/** a·b elementwise, broadcasting (tf.mul). */
export function mul(a: Input, b: Input): Tensor {
  return bind(arithmeticPrimitives.mul, [a, b], undefined);
}
/** a/b elementwise, broadcasting (tf.div). */
export function div(a: Input, b: Input): Tensor {
  return bind(arithmeticPrimitives.div, [a, b], undefined);
}
/** x² (tf.square). */
export function square(x: Tensor): Tensor {
  return bind(arithmeticPrimitives.square, [x], undefined);
}
/** √x (tf.sqrt). */
export function sqrt(x: Tensor): Tensor {
  return bind(arithmeticPrimitives.sqrt, [x], undefined);
}
/** 1/√x (tf.rsqrt). */
export function rsqrt(x: Tensor): Tensor {
  return bind(arithmeticPrimitives.rsqrt, [x], undefined);
}
/** a^b elementwise, broadcasting (tf.pow). */
export function pow(a: Input, b: Input): Tensor {
  return bind(arithmeticPrimitives.pow, [a, b], undefined);
}
/** |x| (tf.abs). */
export function abs(x: Tensor): Tensor {
  return bind(arithmeticPrimitives.abs, [x], undefined);
}
/** max(a, b) elementwise (tf.maximum). */
export function maximum(a: Input, b: Input): Tensor {
  return bind(arithmeticPrimitives.maximum, [a, b], undefined);
}
/** min(a, b) elementwise (tf.minimum). */
export function minimum(a: Input, b: Input): Tensor {
  return bind(arithmeticPrimitives.minimum, [a, b], undefined);
}
/** `a` where `condition` holds, else `b`, broadcasting (tf.where). */
export function where(condition: Tensor, a: Input, b: Input): Tensor {
  return bind(arithmeticPrimitives.where, [condition, a, b], undefined);
}
/** x clipped to [lo, hi] (tf.clipByValue). */
export function clipByValue(x: Tensor, lo: number, hi: number): Tensor {
  return bind(arithmeticPrimitives.clipByValue, [x], { lo, hi });
}
/** max(x, 0) (tf.relu). */
export function relu(x: Tensor): Tensor {
  return bind(arithmeticPrimitives.relu, [x], undefined);
}
/** `x` broadcast to `shape` (tf.broadcastTo). */
export function broadcastTo(x: Tensor, shape: number[]): Tensor {
  return broadcastToShape(x, shape);
}
