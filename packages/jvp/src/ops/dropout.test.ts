import { Rng, randomNormal, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { jvp } from "../jvp.js";
import { relativeError } from "../testing/index.js";
import { dropout, dropoutMask } from "./dropout.js";

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
