// Rule factories (JAX ad.py's `deflinear`, `defbilinear`, zero rules): most primitives' JVP rules are
// one of these, so only nonlinear ops need a hand-written rule.
import type { Tensor } from "@scm/backend";
import type { Input, Tangent, TangentRule } from "./trace.js";

/** The sum of two tangents, skipping symbolic zeros (`add` is passed in to avoid an import cycle). */
export function sumTangents(a: Tangent, b: Tangent, add: (x: Tensor, y: Tensor) => Tensor): Tangent {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return add(a, b);
}

/**
 * Rule of an op linear in its first input (the others carry no tangent: indices, sizes): the
 * tangent is the op applied to the tangent, f(ẋ).
 */
export function linear<I extends readonly [Tensor, ...Input[]], P>(
  op: (t: Tensor, primals: I, params: P) => Tensor,
): TangentRule<I, P> {
  return ({ primals, tangents, params }) => {
    const t = tangents[0];
    return t === undefined ? undefined : op(t, primals, params);
  };
}

/**
 * Rule of an op bilinear in its two inputs (mul, matMul, convolutions): d f(a, b) = f(ȧ, b) + f(a, ḃ),
 * each term skipped when its tangent is a symbolic zero, so `conv(x, W)` with only x carrying a
 * tangent costs one extra conv.
 */
export function bilinear<A extends Input, B extends Input, P>(
  op: (a: A | Tensor, b: B | Tensor, params: P) => Tensor,
  add: (x: Tensor, y: Tensor) => Tensor,
): TangentRule<readonly [A, B], P> {
  return ({ primals: [a, b], tangents: [ta, tb], params }) =>
    sumTangents(
      ta === undefined ? undefined : op(ta, b, params),
      tb === undefined ? undefined : op(a, tb, params),
      add,
    );
}

/** Rule of an op whose output carries no tangent (comparisons, sign, stopGradient): a symbolic zero. */
export const zero: TangentRule<readonly Input[], unknown> = () => undefined;
