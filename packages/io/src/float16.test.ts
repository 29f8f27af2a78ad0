import { describe, expect, it } from "vitest";
import { bfloat16ToFloat32, float32ToBfloat16, float32ToHalf, halfToFloat32 } from "./float16.js";

describe("halfToFloat32 / float32ToHalf", () => {
  it("maps IEEE binary16 bit patterns to their values and back", () => {
    // 0x3c00 = 1, 0xc000 = -2, 0x7bff = 65504, 0x0001 = 2^-24, 0x0400 = 2^-14, 0x8000 = -0, 0x7c00 = inf
    const bits = new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001, 0x0400, 0x8000, 0x7c00, 0xfc00, 0x3555]);
    const vals = halfToFloat32(bits);
    expect(Array.from(vals.subarray(0, 8))).toEqual([
      1,
      -2,
      65504,
      2 ** -24,
      2 ** -14,
      -0,
      Infinity,
      -Infinity,
    ]);
    expect(vals[8]).toBe(1365 / 4096); // 0x3555: exponent 13 → 2^-2, mantissa 0x155 → (1 + 341/1024)/4
    expect(Array.from(float32ToHalf(vals))).toEqual(Array.from(bits));
    expect(Number.isNaN(halfToFloat32(new Uint16Array([0x7e00]))[0])).toBe(true);
    expect(float32ToHalf([Number.NaN])[0]).toBe(0x7e00);
  });

  it("rounds to nearest, ties to even, overflowing to infinity", () => {
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even → 1 (0x3c00);
    // 1 + 3·2^-11 is halfway between 1 + 2^-10 and 1 + 2^-9 → the even one, 0x3c02
    expect(Array.from(float32ToHalf([1 + 2 ** -11, 1 + 3 * 2 ** -11, 65520, 1e-9, 3 * 2 ** -25]))).toEqual([
      0x3c00, 0x3c02, 0x7c00, 0x0000, 0x0002,
    ]);
  });

  it("round-trips all 63488 finite halves exactly", () => {
    const bits = new Uint16Array(65536).map((_, i) => i).filter((b) => (b & 0x7c00) !== 0x7c00);
    expect(float32ToHalf(halfToFloat32(bits))).toEqual(bits);
  });
});

describe("bfloat16ToFloat32 / float32ToBfloat16", () => {
  it("keeps the top 16 bits of float32, rounding ties to even", () => {
    expect(Array.from(bfloat16ToFloat32(new Uint16Array([0x3f80, 0xc000, 0x4049])))).toEqual([
      1, -2, 3.140625,
    ]);
    // π = 0x40490fdb → 0x4049 (the lower half 0x0fdb is under 0x8000)
    expect(Array.from(float32ToBfloat16([Math.PI, 1 + 2 ** -8, 1 + 3 * 2 ** -8]))).toEqual([
      0x4049, 0x3f80, 0x3f82,
    ]);
  });
});
