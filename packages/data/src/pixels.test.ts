import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { pixelsToUnit, toChannels, toUint8Image, unitToPixels } from "./pixels.js";

describe("pixelsToUnit / unitToPixels", () => {
  it("maps 0 → −1, 255 → 1 and round-trips every byte", () => {
    expect(pixelsToUnit(0)).toBe(-1);
    expect(pixelsToUnit(255)).toBe(1);
    for (let u = 0; u < 256; u++) expect(unitToPixels(Math.fround(pixelsToUnit(u)))).toBe(u); // float32 error ≪ 1/255
    expect(unitToPixels(-3)).toBe(0);
    expect(unitToPixels(2)).toBe(255);
  });
});

describe("toUint8Image", () => {
  it("converts one [−1, 1] sample to bytes", () => {
    const im = toUint8Image([-1, 0, 1], [1, 3, 1]);
    expect(Array.from(im.data)).toEqual([0, 128, 255]); // round(127.5) = 128
    expect(() => toUint8Image([0], [2, 2, 1])).toThrow(/holds 1 values; expected H·W·C = 2·2·1 = 4/);
  });
});

describe("toChannels", () => {
  it("converts RGBA to luma with the ITU-R 601 weights and gray to RGB by copying", () => {
    const rgba = ndarray(Uint8Array.from([200, 100, 50, 9]), [1, 1, 4]);
    // 0.299·200 + 0.587·100 + 0.114·50 = 59.8 + 58.7 + 5.7 = 124.2
    expect(toChannels(rgba, 1).get(0, 0, 0)).toBeCloseTo(124.2, 4); // float32 of 124.2
    expect(Array.from(toChannels(rgba, 3).data)).toEqual([200, 100, 50]);
    const ga = ndarray(Uint8Array.from([77, 255]), [1, 1, 2]);
    expect(Array.from(toChannels(ga, 3).data)).toEqual([77, 77, 77]);
  });
});
