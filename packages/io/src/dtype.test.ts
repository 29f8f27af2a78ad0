import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { contiguousData } from "./dtype.js";

describe("contiguousData", () => {
  it("gathers strided views in C order", () => {
    const a = ndarray(new Int32Array([...Array(24).keys()]), [2, 3, 4]);
    // a.transpose(2, 0, 1)[k, i, j] = 12i + 4j + k
    const t = contiguousData(a.transpose(2, 0, 1), "array");
    const expected: number[] = [];
    for (let k = 0; k < 4; k++)
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expected.push(12 * i + 4 * j + k);
    expect(Array.from(t)).toEqual(expected);
    // a.step(-1) reverses axis 0; a.lo(0, 1).hi(2, 2) slices
    expect(Array.from(contiguousData(ndarray(new Int32Array([1, 2, 3]), [3]).step(-1), "array"))).toEqual([
      3, 2, 1,
    ]);
    expect(Array.from(contiguousData(a.lo(0, 1, 2).hi(2, 2, 2), "array"))).toEqual([
      6, 7, 10, 11, 18, 19, 22, 23,
    ]);
  });

  it("returns the data itself when it is already contiguous", () => {
    const data = new Float32Array(6);
    expect(contiguousData(ndarray(data, [2, 3]), "array")).toBe(data);
  });
});
