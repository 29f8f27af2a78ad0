import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { datasetFromArray } from "./from-array.js";

describe("datasetFromArray", () => {
  it("reads an [N, D] array in C order, also through a transposed view", () => {
    const a = ndarray(Float64Array.from([1, 2, 3, 4, 5, 6]), [3, 2]);
    const ds = datasetFromArray(a, "a");
    expect([ds.n, ...ds.sampleShape]).toEqual([3, 2]);
    expect(Array.from(ds.x)).toEqual([1, 2, 3, 4, 5, 6]);
    const t = datasetFromArray(a.transpose(1, 0), "t"); // [2, 3]: rows (1, 3, 5), (2, 4, 6)
    expect(Array.from(t.x)).toEqual([1, 3, 5, 2, 4, 6]);
  });

  it("makes [N] data [N, 1] and converts int64", () => {
    const ds = datasetFromArray(ndarray(BigInt64Array.from([5n, -7n]), [2]), "i");
    expect(ds.sampleShape).toEqual([1]);
    expect(Array.from(ds.x)).toEqual([5, -7]);
  });

  it("names the file and index of a NaN and of a float32 overflow", () => {
    const nan = ndarray(Float64Array.from([0, 1, Number.NaN, 3]), [2, 2]);
    expect(() => datasetFromArray(nan, "x", "x.npy")).toThrow(
      "x.npy has NaN at index 2 (sample 1, element 0); expected finite numbers only.",
    );
    const big = ndarray(Float64Array.from([1e39]), [1]);
    expect(() => datasetFromArray(big, "x", "x.npy")).toThrow(
      /x\.npy has 1e\+39 at index 0, which overflows float32/,
    );
  });
});
