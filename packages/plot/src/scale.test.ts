import { describe, expect, it } from "vitest";
import { formatTick, linearScale, logDomain, logScale, niceDomain, niceStep, niceTicks } from "./scale.js";

describe("linearScale", () => {
  it("maps the domain ends to the range ends and midpoints to midpoints", () => {
    const s = linearScale([0, 10], [100, 300]);
    expect([s(0), s(5), s(10), s(2.5)]).toEqual([100, 200, 300, 150]); // 100 + 20 · v, exact
    const flipped = linearScale([-1, 1], [200, 0]); // y axis: up is smaller pixels
    expect([flipped(-1), flipped(0), flipped(1)]).toEqual([200, 100, 0]);
  });
});

describe("logScale", () => {
  it("maps equal ratios to equal distances", () => {
    const s = logScale([1e-3, 10], [400, 0]); // 4 decades over 400 px: 100 px per decade
    expect(s(1e-3)).toBeCloseTo(400, 9);
    expect(s(1e-2)).toBeCloseTo(300, 9);
    expect(s(1)).toBeCloseTo(100, 9); // log10 rounding only
    expect(s(Math.sqrt(10))).toBeCloseTo(50, 9); // half a decade
    expect(Number.isNaN(s(0))).toBe(true);
    expect(s.ticks).toEqual([1e-3, 1e-2, 0.1, 1, 10]); // one tick per decade beyond two decades
    expect(logScale([1, 100], [0, 1]).ticks).toEqual([1, 2, 5, 10, 20, 50, 100]);
  });
});

describe("logDomain", () => {
  it("widens to whole decades", () => {
    expect(logDomain(0.03, 2)).toEqual([0.01, 10]);
    expect(logDomain(1, 1)).toEqual([1, 10]);
  });
});

describe("niceTicks", () => {
  it("steps by 1, 2 or 5 times a power of ten", () => {
    expect(niceStep(0, 10, 5)).toBe(2);
    expect(niceStep(0, 0.7, 5)).toBe(0.2); // raw 0.14 → 0.2
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-0.35, 0.35, 5)).toEqual([-0.2, 0, 0.2]); // raw step 0.14 → 0.2
    expect(niceTicks(-0.35, 0.35, 7)).toEqual([-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3]); // raw 0.1
    expect(niceDomain(0.13, 0.87, 5)).toEqual([0, 1]);
    expect(niceDomain(3, 3)).toEqual([2.6, 3.4]); // ±10 %, step 0.2 (raw 0.12)
  });
});

describe("formatTick", () => {
  it("writes plain decimals in [1e-3, 1e5) and exponents outside", () => {
    expect([0, 0.3, -2.5, 1000, 1e5, 2e-4, 0.1 + 0.2].map(formatTick)).toEqual([
      "0",
      "0.3",
      "-2.5",
      "1000",
      "1e5",
      "2e-4",
      "0.3",
    ]);
  });
});
