import { Rng, randomNormal, tf } from "@scm/backend";
import { describe, expect, it, vi } from "vitest";
import { jvp } from "../jvp.js";
import { relativeError } from "../testing/index.js";
import { dropout, dropoutMask, withSharedDropoutMasks } from "./dropout.js";

describe("dropoutMask", () => {
  it("draws 0 with probability rate and 1/(1 − rate) otherwise, reproducibly", () => {
    const a = dropoutMask(Rng.seeded(5), [100, 100], 0.2);
    const b = dropoutMask(Rng.seeded(5), [100, 100], 0.2);
    const values = Array.from(a.dataSync());
    const zeros = values.filter((v) => v === 0).length / values.length;
    // Binomial(10⁴, 0.2): standard deviation 0.004; 5σ = 0.02.
    expect(Math.abs(zeros - 0.2)).toBeLessThan(0.02);
    expect(values.every((v) => v === 0 || v === 1.25)).toBe(true);
    expect(relativeError(a, b)).toBe(0);
    tf.dispose([a, b]);
  });

  it("rejects a rate outside [0, 1)", () => {
    expect(() => dropoutMask(Rng.seeded(0), [2], 1)).toThrow(
      "The dropout rate is 1; expected a number in [0, 1).",
    );
  });
});

describe("withSharedDropoutMasks", () => {
  it("draws a mask asked for twice (same stream, shape, rate) once, with the same values, and frees it", () => {
    const root = Rng.seeded(9);
    const separate = [dropoutMask(root.at(0), [300], 0.3), dropoutMask(root.at(0), [300], 0.3)];
    const before = tf.memory().numTensors;
    // On cpu the mask is drawn in JavaScript from the stream: count the draws.
    const draws = vi.spyOn(Rng.prototype, "fillUniform");
    const [first, again, other] = withSharedDropoutMasks(() => [
      dropoutMask(root.at(0), [300], 0.3),
      dropoutMask(root.at(0), [300], 0.3),
      dropoutMask(root.at(1), [300], 0.3), // another stream: its own draw
    ]);
    const counted = draws.mock.calls.length;
    draws.mockRestore();
    if (tf.getBackend() === "cpu") expect(counted).toBe(2);
    expect([relativeError(first!, separate[0]!), relativeError(again!, separate[1]!)]).toEqual([0, 0]);
    expect(relativeError(other!, separate[0]!)).toBeGreaterThan(0);
    // The scope kept only its cache, and freed it: what is left is what it returned.
    expect(tf.memory().numTensors).toBe(before + 3);
    tf.dispose([first!, again!, other!, ...separate]);
  });
});

describe("dropout", () => {
  it("applies the same mask to the primal and the tangent", () => {
    const rng = Rng.seeded(6);
    const x = randomNormal(rng, [4, 8]);
    const t = randomNormal(rng, [4, 8]);
    const mask = dropoutMask(rng, [4, 8], 0.5);
    const [y, dy] = jvp((a) => dropout(a, mask), [x], [t]);
    const ey = tf.mul(x, mask);
    const edy = tf.mul(t, mask);
    // Linear in x with the mask fixed: y = x⊙m and ẏ = ẋ⊙m exactly.
    expect(relativeError(y, ey)).toBe(0);
    expect(relativeError(dy, edy)).toBe(0);
    tf.dispose([x, t, mask, y, dy, ey, edy]);
  });
});
