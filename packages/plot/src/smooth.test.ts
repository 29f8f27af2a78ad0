import { describe, expect, it } from "vitest";
import { movingAverage } from "./smooth.js";

describe("movingAverage", () => {
  it("averages the trailing window, shorter at the start", () => {
    // [1], [1,2], [1,2,3], [2,3,4], [3,4,5]: exact in float64
    expect(Array.from(movingAverage([1, 2, 3, 4, 5], 3))).toEqual([1, 1.5, 2, 3, 4]);
    expect(Array.from(movingAverage([4, 8], 1))).toEqual([4, 8]);
  });

  it("skips non-finite values in the window", () => {
    const m = Array.from(movingAverage([2, Number.NaN, 4, 6], 2));
    // [2], [2, NaN] → 2, [NaN, 4] → 4, [4, 6] → 5
    expect(m).toEqual([2, 2, 4, 5]);
    expect(() => movingAverage([1], 0)).toThrow(/window is 0; expected a positive integer/);
  });
});
