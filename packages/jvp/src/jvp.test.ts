import { Rng, randomNormal, type Tensor, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { DtypeError, JvpArgumentError, MissingJvpRuleError, ShapeError } from "./errors.js";
import { jvp } from "./jvp.js";
import { describeJvpCases } from "./jvp-cases.test-util.js";
import { add, mul } from "./ops/arithmetic.js";
import { sum } from "./ops/reduction.js";
import { cos, exp, sin } from "./ops/unary.js";
import { leakedTensors, relativeError } from "./testing/index.js";
import { identity, tracePrimitives } from "./trace.js";

const rng = Rng.seeded(21);
const x = randomNormal(rng, [2, 3]);
const t = randomNormal(rng, [2, 3]);
const w = randomNormal(rng, [2, 3]);

function values(a: Tensor): number[] {
  return Array.from(a.dataSync());
}

describe("jvp", () => {
  it("returns the outputs and J·v for a tensor, an array and a record of outputs", () => {
    const [y, dy] = jvp((a) => mul(a, w), [x], [t]);
    const ey = tf.mul(x, w);
    const edy = tf.mul(t, w);
    // y = x⊙w, ẏ = ẋ⊙w: the same float32 products, exact.
    expect(relativeError(y, ey)).toBe(0);
    expect(relativeError(dy, edy)).toBe(0);
    const [arr, dArr] = jvp((a) => [a, mul(a, 2)], [x], [t]);
    expect(values(dArr[1]!)).toEqual(values(tf.mul(t, 2)));
    const [rec, dRec] = jvp((a) => ({ s: sin(a) }), [x], [t]);
    const edRec = tf.mul(tf.cos(x), t);
    expect(relativeError(dRec["s"]!, edRec)).toBe(0);
    tf.dispose([y, dy, ey, edy, arr, dArr, rec, dRec, edRec] as unknown as tf.TensorContainer);
  });

  it("returns aux unchanged with hasAux", () => {
    const [y, dy, aux] = jvp((a) => [exp(a), { note: "n", raw: sum(a) }] as const, [x], [t], {
      hasAux: true,
    });
    const s = tf.sum(x);
    expect(aux.note).toBe("n");
    // Σx computed by the same kernel: exact.
    expect(relativeError(aux.raw, s)).toBe(0);
    const edy = tf.mul(tf.exp(x), t);
    expect(relativeError(dy, edy)).toBe(0);
    tf.dispose([y, dy, aux.raw, s, edy]);
  });

  it("treats closed-over tensors and outputs independent of the primals as symbolic zeros", () => {
    const [pair, dPair] = jvp((a) => [add(a, mul(w, 3)), exp(w)], [x], [t]);
    // d(x + 3w) = ẋ; d exp(w) = 0 since w is not a primal.
    expect(values(dPair[0]!)).toEqual(values(t));
    expect(values(dPair[1]!)).toEqual([0, 0, 0, 0, 0, 0]);
    tf.dispose([...pair, ...dPair]);
  });

  it("gives each primal its own tangent when one tensor is passed twice", () => {
    const t2 = randomNormal(rng, [2, 3]);
    const [y, dy] = jvp((a, b) => mul(a, b), [x, x], [t, t2]);
    const expected = tf.tidy(() => tf.add(tf.mul(t, x), tf.mul(x, t2)));
    // d(a·b) = ȧ·b + a·ḃ computed in the same order: exact.
    expect(relativeError(dy, expected)).toBe(0);
    tf.dispose([t2, y, dy, expected]);
  });

  it("nests: jvp of jvp gives the second derivative, d² sin = −sin", () => {
    const one = tf.onesLike(x);
    const [, second] = jvp((a) => jvp(sin, [a], [one])[1], [x], [one]);
    const expected = tf.neg(tf.sin(x));
    // d/dx cos(x)·1 = −sin x; the outer rule runs the inner one's ops: exact in float32.
    expect(relativeError(second, expected)).toBeLessThan(1e-6);
    tf.dispose([one, second, expected]);
  });

  it("keeps a tangent when a tf.tidy inside fn returns its primal", () => {
    const [y, dy] = jvp((a) => tf.tidy(() => cos(a)), [x], [t]);
    const expected = tf.neg(tf.mul(t, tf.sin(x)));
    // d cos = −sin·ẋ, computed the same way: exact.
    expect(relativeError(dy, expected)).toBe(0);
    tf.dispose([y, dy, expected]);
  });

  it("leaks no tensors over repeated calls", () => {
    expect(leakedTensors(() => jvp((a) => sum(mul(exp(a), sin(a)), 1), [x], [t]))).toBe(0);
    expect(leakedTensors(() => jvp((a) => jvp(sin, [a], [t])[1], [x], [t]))).toBe(0);
  });

  it("lets tfjs's reverse mode differentiate the same ops outside jvp", () => {
    const g = tf.grad((a: Tensor) => sum(mul(exp(a), w)))(x);
    const expected = tf.mul(tf.exp(x), w);
    // ∇ Σ eˣ⊙w = eˣ⊙w: exact.
    expect(relativeError(g, expected)).toBe(0);
    tf.dispose([g, expected]);
  });
});

describe("MissingJvpRuleError", () => {
  it("is thrown, naming the tfjs op, when a direct tfjs call meets a tangent-carrying tensor", () => {
    const before = tf.memory().numTensors;
    expect(() => jvp((a) => tf.exp(a), [x], [t])).toThrow(MissingJvpRuleError);
    expect(() => jvp((a) => sin(a).square(), [x], [t])).toThrow(
      /tfjs op "Square" ran inside jvp on input "x"/,
    );
    // The failed calls leave nothing behind and the engine unhooked.
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.hasOwn(tf.engine(), "runKernelFunc")).toBe(false);
  });

  it("is not thrown for tfjs calls on tensors without tangents", () => {
    const [y, dy] = jvp((a) => mul(a, tf.exp(w)), [x], [t]);
    const expected = tf.mul(t, tf.exp(w));
    expect(relativeError(dy, expected)).toBe(0);
    tf.dispose([y, dy, expected]);
  });
});

describe("jvp arguments", () => {
  it("rejects a tangent whose shape differs from its primal's, naming it", () => {
    const bad = tf.zeros([3, 2]);
    expect(() => jvp(sin, [x], [bad])).toThrow(ShapeError);
    expect(() => jvp(sin, [x], [bad])).toThrow(
      "tangents[0] has shape [3, 2]; expected [2, 3], the shape of primals[0].",
    );
    bad.dispose();
  });

  it("rejects a non-float32 tangent and mismatched counts", () => {
    const ints = tf.zeros([2, 3], "int32");
    expect(() => jvp(sin, [x], [ints])).toThrow(DtypeError);
    expect(() => jvp(sin, [x], [ints])).toThrow("tangents[0] has dtype int32; expected float32.");
    expect(() => jvp(sin, [x], [])).toThrow(JvpArgumentError);
    ints.dispose();
  });
});

// Last, so that the draws above are as they were: the trace's own primitive.
describeJvpCases([["identity", identity, [x]]], rng, tracePrimitives);
