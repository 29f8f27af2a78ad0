import { Rng, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { maxRelativeError, sampleMean, sampleStd } from "../testing/stats.js";
import { sampleNoise } from "./noise.js";

describe("sampleNoise", () => {
  it("draws N(0, σ_d²) of shape [n, ...sampleShape] (§3: noise has the data's std)", () => {
    const before = tf.memory().numTensors;
    const z = sampleNoise(Rng.seeded(1), 5000, [2, 2], 0.5);
    expect(z.shape).toEqual([5000, 2, 2]);
    // 20k draws: standard errors σ_d/√N = 0.0035 (mean), σ_d/√(2N) = 0.0025 (std); 4 of each.
    expect(Math.abs(sampleMean(z))).toBeLessThan(4 * 0.0036);
    expect(Math.abs(sampleStd(z) - 0.5)).toBeLessThan(4 * 0.0025);
    z.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("gives sample i the same draw in any batch, and other keys other draws", () => {
    const rng = Rng.seeded(2);
    const [whole, tail] = [sampleNoise(rng, 5, [3], 0.5), sampleNoise(rng, 2, [3], 0.5, { first: 3 })];
    const rows = whole.slice([3], [2]);
    expect(maxRelativeError(tail, rows)).toBe(0);
    const other = sampleNoise(rng, 5, [3], 0.5, { key: 1 });
    expect(maxRelativeError(other, whole)).toBeGreaterThan(0.1); // independent N(0, σ_d²) draws
    tf.dispose([whole, tail, rows, other]);
  });

  it("rejects a bad count, σ_d ≤ 0 and negative keys", () => {
    const rng = Rng.seeded(0);
    expect(() => sampleNoise(rng, 0, [2], 0.5)).toThrow(/^n is 0; expected an integer ≥ 1\.$/);
    expect(() => sampleNoise(rng, 1, [2], 0)).toThrow(/^sigmaData is 0; expected a finite number > 0\.$/);
    expect(() => sampleNoise(rng, 1, [2], 0.5, { key: -1 })).toThrow(
      /^key is -1; expected a non-negative integer\.$/,
    );
  });
});
