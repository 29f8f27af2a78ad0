import { Rng, randomNormal, type Tensor, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { jvp } from "../jvp.js";
import { mul } from "../ops/arithmetic.js";
import { sin } from "../ops/unary.js";
import { bind, type Primitive } from "../trace.js";
import { allClose, assertAllClose, relativeError } from "./allclose.js";
import { jvpByDoubleVjp, jvpDotProductCheck, jvpFiniteDifferenceError } from "./checks.js";
import { leakedTensors } from "./leaks.js";

const rng = Rng.seeded(41);
const x = randomNormal(rng, [3, 4]);

// sin with a deliberately wrong rule (ẋ·sin x instead of ẋ·cos x): the checks must reject it.
const wrongSin: Primitive<readonly [Tensor], undefined> = {
  name: "wrongSin",
  impl: ([a]) => tf.sin(a),
  jvp: ({ primals: [a], tangents: [t] }) => mul(t!, sin(a)),
};
const wrong = (a: Tensor) => bind(wrongSin, [a], undefined);

describe("jvpFiniteDifferenceError", () => {
  it("scores a correct rule near float32 rounding and a wrong rule near 1", () => {
    // Correct: ~1e-5 (see `jvpTolerances`); wrong: ‖sin − cos‖/‖cos‖ is O(1) for normal x.
    expect(jvpFiniteDifferenceError(sin, [x], { rng })).toBeLessThan(1e-4);
    expect(jvpFiniteDifferenceError(wrong, [x], { rng })).toBeGreaterThan(0.3);
  });
});

describe("jvpDotProductCheck", () => {
  it("scores a correct rule at float32 rounding and a wrong one far off", () => {
    // Correct: both sides equal up to ~1e-7. Wrong: the forward side uses sin, the reverse cos; random
    // u, v dilute the gap by ~1/√n against ‖u‖‖J·v‖, still far above the 1e-5 tolerance.
    expect(jvpDotProductCheck(sin, [x], rng).error).toBeLessThan(1e-6);
    expect(jvpDotProductCheck(wrong, [x], rng).error).toBeGreaterThan(1e-3);
  });
});

describe("jvpByDoubleVjp", () => {
  it("gives J·v = 2x⊙v for x²", () => {
    const v = randomNormal(rng, x.shape);
    const [jv] = jvpByDoubleVjp((a) => mul(a, a), [x], [v]);
    const expected = tf.mul(tf.mul(x, 2), v);
    // Reverse over reverse of x⊙x: the same float32 products in another order, ~1e-7.
    expect(relativeError(jv!, expected)).toBeLessThan(1e-6);
    tf.dispose([v, expected]);
  });
});

describe("allClose", () => {
  it("applies |a − b| ≤ atol + rtol·|b| and reports the worst entry", () => {
    // |1.1 − 1| = 0.1 ≤ 0.05 + 0.1·1 holds; |2.5 − 2| = 0.5 > 0.05 + 0.1·2 fails at index 1.
    expect(allClose([1.1], [1], { rtol: 0.1, atol: 0.05 }).ok).toBe(true);
    const r = allClose([1.1, 2.5], [1, 2], { rtol: 0.1, atol: 0.05 });
    expect(r.ok).toBe(false);
    expect(r.index).toBe(1);
    expect(r.maxAbsError).toBeCloseTo(0.5, 12);
    expect(allClose([Number.NaN], [0]).ok).toBe(false);
    expect(() => assertAllClose([1, 2.5], [1, 2], { rtol: 0.1 })).toThrow(
      "Entry 1 is 2.5; expected 2 within atol 0.000001 + rtol 0.1·|expected|.",
    );
  });
});

describe("relativeError", () => {
  it("gives ‖a − b‖/‖b‖", () => {
    // ‖(3, 4) − (0, 0)‖ / ‖(3, 4)‖ … here a = (3, 4) + (0.3, 0.4): error 0.1 exactly.
    expect(relativeError([3.3, 4.4], [3, 4])).toBeCloseTo(0.1, 12);
    expect(relativeError([0, 0], [0, 0])).toBe(0);
  });
});

describe("leakedTensors", () => {
  it("counts tensors left behind and 0 for a clean jvp", () => {
    const kept: Tensor[] = [];
    // One kept tensor per call, three calls after the warm-up.
    expect(leakedTensors(() => kept.push(tf.keep(tf.zeros([1]))))).toBe(3);
    tf.dispose(kept);
    expect(leakedTensors(() => jvp(sin, [x], [x]))).toBe(0);
    // The checks themselves clean up after themselves.
    expect(leakedTensors(() => jvpFiniteDifferenceError(sin, [x], { rng }))).toBe(0);
    expect(leakedTensors(() => jvpDotProductCheck(sin, [x], rng))).toBe(0);
    expect(leakedTensors(() => jvpByDoubleVjp(sin, [x], [x]))).toBe(0);
  });
});
