import { Rng } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { permutation, sampleWithoutReplacement } from "./permutation.js";

describe("permutation", () => {
  it("holds every index once and puts index i last with probability 1/n", () => {
    expect(Array.from(permutation(50, Rng.seeded(3))).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    // 10,000 permutations of 10: the last slot holds each index ~1000 times, binomial σ = √(10⁴·0.1·0.9) = 30;
    // 5σ = 150 fails a biased shuffle (an off-by-one in j skews a bin by ~1000) and passes a fair one
    const rng = Rng.seeded(7);
    const counts = new Array<number>(10).fill(0);
    for (let k = 0; k < 10_000; k++) {
      const i = permutation(10, rng)[9] as number;
      counts[i] = (counts[i] as number) + 1;
    }
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });
});

describe("sampleWithoutReplacement", () => {
  it("returns distinct indices in range, and every index once when count = n", () => {
    const all = Array.from(sampleWithoutReplacement(Rng.seeded(3), 50, 50)).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const some = sampleWithoutReplacement(Rng.seeded(4), 1000, 20);
    expect(new Set(some).size).toBe(20);
    for (const i of some) expect(i >= 0 && i < 1000).toBe(true);
  });

  it("draws front to back: the first index is floor(u₀·n) of the rng's first uniform", () => {
    const u0 = Rng.seeded(11).uniform();
    expect(sampleWithoutReplacement(Rng.seeded(11), 1000, 3)[0]).toBe(Math.floor(u0 * 1000));
  });

  it("picks each index first with probability 1/n", () => {
    // 10,000 single draws from 10: binomial σ = 30 per bin, 5σ as in permutation's test
    const rng = Rng.seeded(5);
    const counts = new Array<number>(10).fill(0);
    for (let k = 0; k < 10_000; k++) {
      const i = sampleWithoutReplacement(rng, 10, 1)[0] as number;
      counts[i] = (counts[i] as number) + 1;
    }
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });
});
