import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { centerCrop, fitImage, resizeImage } from "./resize.js";

// a [h, w, 1] image with value f(y, x)
const img = (h: number, w: number, f: (y: number, x: number) => number) =>
  ndarray(
    Float32Array.from({ length: h * w }, (_, i) => f(Math.floor(i / w), i % w)),
    [h, w, 1],
  );

describe("resizeImage", () => {
  it("averages 2x2 blocks when halving with the area filter", () => {
    const a = img(4, 4, (y, x) => 4 * y + x);
    const r = resizeImage(a, 2, 2, "area");
    // block (0,0) = mean(0, 1, 4, 5) = 2.5; each block step adds 2 along x and 8 along y; exact in float32
    expect(Array.from(r.data)).toEqual([2.5, 4.5, 10.5, 12.5]);
  });

  it("weights partial pixels by their overlap when shrinking 3 → 2 with the area filter", () => {
    const a = img(1, 3, (_, x) => [3, 6, 9][x] as number);
    const r = resizeImage(a, 1, 2, "area");
    // output 0 covers [0, 1.5): (1·3 + 0.5·6) / 1.5 = 4; output 1 covers [1.5, 3): (0.5·6 + 1·9) / 1.5 = 8
    expect(r.get(0, 0, 0)).toBeCloseTo(4, 5); // float32 rounding of a float64 sum
    expect(r.get(0, 1, 0)).toBeCloseTo(8, 5);
  });

  it("interpolates a linear ramp linearly with the bilinear filter", () => {
    const a = img(1, 4, (_, x) => 10 * x);
    const r = resizeImage(a, 1, 8, "bilinear");
    // output j samples source (j + 1/2)/2 − 1/2, clamped to [0, 3]: 10 · that
    const expected = Array.from({ length: 8 }, (_, j) => 10 * Math.min(3, Math.max(0, (j + 0.5) / 2 - 0.5)));
    Array.from(r.data).forEach((v, j) => {
      expect(v).toBeCloseTo(expected[j] as number, 4); // float32 of exact quarters
    });
  });

  it("keeps an image unchanged at its own size and a constant image constant", () => {
    const a = img(3, 5, (y, x) => y * 7 + x * 0.25);
    for (const method of ["area", "bilinear"] as const) {
      expect(Array.from(resizeImage(a, 3, 5, method).data)).toEqual(Array.from(a.data)); // weights are exactly 1
      const c = resizeImage(
        img(7, 9, () => 0.3),
        4,
        3,
        method,
      );
      for (const v of c.data) expect(v).toBeCloseTo(0.3, 6); // weights sum to 1 up to float64 rounding
    }
  });
});

describe("centerCrop", () => {
  it("takes the centred window, offsets rounding down", () => {
    const a = img(4, 5, (y, x) => 10 * y + x);
    const c = centerCrop(a, 2, 2);
    // top = floor((4 − 2)/2) = 1, left = floor((5 − 2)/2) = 1
    expect([c.get(0, 0, 0), c.get(0, 1, 0), c.get(1, 0, 0), c.get(1, 1, 0)]).toEqual([11, 12, 21, 22]);
    expect(() => centerCrop(a, 5, 2)).toThrow(/A 5x2 crop does not fit in a 4x5 image/);
  });
});

describe("fitImage", () => {
  it("crops a wide image to a square before resizing", () => {
    // 2x4: the centred 2x2 window is columns 1..2; area-halving it averages its 4 values
    const a = img(2, 4, (y, x) => 10 * y + x);
    const f = fitImage(a, 1, 1);
    expect(f.get(0, 0, 0)).toBeCloseTo((1 + 2 + 11 + 12) / 4, 5);
    expect(f.shape).toEqual([1, 1, 1]);
  });
});
