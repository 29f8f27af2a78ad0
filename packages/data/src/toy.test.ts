import { describe, expect, it } from "vitest";
import { datasetStats } from "./stats.js";
import { toyDataset, toyNames, toySigmaData } from "./toy.js";

describe("toyDataset", () => {
  const n = 20_000;
  it.each(toyNames)("scales %s to per-dimension std σ_d = 0.5 and mean 0", (name) => {
    const ds = toyDataset(name, n, 1);
    expect(ds.sampleShape).toEqual([2]);
    expect(ds.x.length).toBe(2 * n);
    const s = datasetStats(ds);
    // the sample std of n = 20,000 points has standard error ≈ σ·sqrt((κ − 1)/(4n)) ≤ 0.5·sqrt(2/80,000) ≈ 0.0025
    // for these bounded / light-tailed sets (kurtosis κ ≤ 3); 0.015 is 6 standard errors
    for (const std of s.channelStd) expect(Math.abs(std - toySigmaData)).toBeLessThan(0.015);
    // the sample mean has standard error 0.5 / sqrt(n) ≈ 0.0035; 0.02 is 5.6 of them
    for (const m of s.channelMean) expect(Math.abs(m)).toBeLessThan(0.02);
  });

  it("draws the same points for the same seed and different ones for another", () => {
    const a = toyDataset("moons", 100, 7);
    const b = toyDataset("moons", 100, 7);
    const c = toyDataset("moons", 100, 8);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.x)).not.toEqual(Array.from(c.x));
  });

  it("places checkerboard points only on the filled cells", () => {
    const ds = toyDataset("checkerboard", 2000, 3);
    const scale = 0.5 / Math.sqrt(4 / 3); // the raw [-2, 2]² board times σ_d / std
    for (let i = 0; i < ds.n; i++) {
      const x = (ds.x[2 * i] as number) / scale;
      const y = (ds.x[2 * i + 1] as number) / scale;
      // filled cells: column and row parities are equal (floor(x) + floor(y) even), up to float32 rounding on the edges
      const parity = (Math.floor(x + 1e-5) + Math.floor(y + 1e-5)) & 1;
      const parity2 = (Math.floor(x - 1e-5) + Math.floor(y - 1e-5)) & 1;
      expect(parity === 0 || parity2 === 0).toBe(true);
      expect(Math.abs(x)).toBeLessThanOrEqual(2 + 1e-5);
    }
  });

  it("puts 8gaussians points near one of eight centres at angles kπ/4", () => {
    const ds = toyDataset("8gaussians", 2000, 4);
    const scale = 0.5 / Math.sqrt(0.5 + 0.125 ** 2); // raw radius 1 → scaled radius
    let far = 0;
    for (let i = 0; i < ds.n; i++) {
      const x = (ds.x[2 * i] as number) / scale;
      const y = (ds.x[2 * i + 1] as number) / scale;
      let best = Number.POSITIVE_INFINITY;
      for (let k = 0; k < 8; k++)
        best = Math.min(best, Math.hypot(x - Math.cos((k * Math.PI) / 4), y - Math.sin((k * Math.PI) / 4)));
      if (best > 0.125 * 4) far++;
    }
    // a 2-D normal of std 0.125 lies beyond 4 std with probability e^{-8} ≈ 3.4e-4: expected 0.7 of 2000
    expect(far).toBeLessThanOrEqual(5);
  });

  it("rejects an unknown name and a bad size", () => {
    expect(() => toyDataset("circles" as never, 10, 0)).toThrow(
      /Toy set "circles" is unknown; expected one of checkerboard/,
    );
    expect(() => toyDataset("moons", 0, 0)).toThrow(/Toy set size is 0/);
  });
});
