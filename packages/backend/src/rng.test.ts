import { describe, expect, it } from "vitest";
import { Rng } from "./rng.js";

describe("Rng", () => {
  it("repeats the same draws for the same seed and differs for another", () => {
    const a = Rng.seeded(42);
    const b = Rng.seeded(42);
    const c = Rng.seeded(43);
    const da = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(da);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(da);
  });

  it("continues the exact sequence from a saved state", () => {
    const a = Rng.seeded(7);
    a.fillNormal(new Float64Array(13));
    const resumed = Rng.fromState(JSON.parse(JSON.stringify(a.state())));
    expect(Array.from(resumed.fillNormal(new Float64Array(9)))).toEqual(
      Array.from(a.fillNormal(new Float64Array(9))),
    );
  });

  it("draws uniforms with mean 1/2 and variance 1/12", () => {
    // n = 2e5: the standard error of the mean is sqrt(1/12/n) ≈ 6.5e-4; we allow ~8 of them.
    const u = Rng.seeded(1).fillUniform(new Float64Array(200_000));
    const mean = u.reduce((s, v) => s + v, 0) / u.length;
    const variance = u.reduce((s, v) => s + (v - mean) ** 2, 0) / u.length;
    expect(u.reduce((m, v) => Math.min(m, v), 1)).toBeGreaterThanOrEqual(0);
    expect(u.reduce((m, v) => Math.max(m, v), 0)).toBeLessThan(1);
    expect(Math.abs(mean - 0.5)).toBeLessThan(5e-3);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(2e-3);
  });

  it("draws normals with the requested mean, std and a zero third moment", () => {
    // n = 2e5: s.e. of the mean 3·/√n ≈ 6.7e-3, of the std ≈ 3/√(2n) ≈ 4.7e-3; tolerances ~4 s.e.
    const x = Rng.seeded(2).fillNormal(new Float64Array(200_001), 1.5, 3);
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const std = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length);
    const skew = x.reduce((s, v) => s + ((v - mean) / std) ** 3, 0) / x.length;
    expect(Math.abs(mean - 1.5)).toBeLessThan(0.03);
    expect(Math.abs(std - 3)).toBeLessThan(0.02);
    expect(Math.abs(skew)).toBeLessThan(0.03);
  });

  it("derives keyed children without advancing the parent", () => {
    const a = Rng.seeded(5);
    const before = a.state();
    const c1 = a.at(3).nextUint32();
    expect(a.state()).toEqual(before);
    expect(a.at(3).nextUint32()).toBe(c1);
    expect(a.at(4).nextUint32()).not.toBe(c1);
  });

  it("rejects a bad seed and a malformed state with a sentence naming them", () => {
    expect(() => Rng.seeded(-1)).toThrow(/seed is -1/);
    expect(() => Rng.seeded(0.5)).toThrow(/seed/);
    expect(() => Rng.fromState({ s: [1, 2, 3] as unknown as [number, number, number, number] })).toThrow(
      /RNG state is malformed/,
    );
  });
});
