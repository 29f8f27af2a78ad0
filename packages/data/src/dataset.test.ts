import { describe, expect, it } from "vitest";
import { checkFinite, type Dataset, subsetDataset, validateDataset } from "./dataset.js";
import { DataError } from "./errors.js";

const ds = (): Dataset => ({
  x: Float32Array.from([0, 1, 2, 3, 4, 5]),
  sampleShape: [2],
  n: 3,
  labels: Int32Array.from([0, 1, 0]),
  numClasses: 2,
  classNames: ["a", "b"],
  name: "d",
});

describe("checkFinite", () => {
  it("names the index, sample and element of the first NaN or Inf", () => {
    try {
      checkFinite([0, 1, 2, Number.NaN], "data.npy", [2], "/tmp/data.npy");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DataError);
      expect((e as DataError).message).toBe(
        "data.npy has NaN at index 3 (sample 1, element 1); expected finite numbers only.",
      );
      expect((e as DataError).path).toBe("/tmp/data.npy");
      expect((e as DataError).index).toBe(3);
    }
    expect(() => checkFinite([Number.NEGATIVE_INFINITY], "x")).toThrow(
      "x has -Infinity at index 0; expected finite numbers only.",
    );
  });
});

describe("validateDataset", () => {
  it("accepts a consistent dataset and names what is wrong in others", () => {
    expect(validateDataset(ds()).n).toBe(3);
    expect(() => validateDataset({ ...ds(), n: 2 })).toThrow(
      /holds 6 values; expected n · prod\(sampleShape\) = 2 · 2 = 4/,
    );
    expect(() => validateDataset({ ...ds(), labels: Int32Array.from([0, 2, 0]) })).toThrow(
      /label 2 at sample 1; expected a value in 0\.\.1/,
    );
    expect(() =>
      validateDataset({ ...ds(), x: Float32Array.from([0, 1, 2, Number.POSITIVE_INFINITY, 4, 5]) }),
    ).toThrow(/Infinity at index 3 \(sample 1, element 1\)/);
  });
});

describe("subsetDataset", () => {
  it("copies the chosen samples with their labels", () => {
    const s = subsetDataset(ds(), [2, 0]);
    expect(Array.from(s.x)).toEqual([4, 5, 0, 1]);
    expect(Array.from(s.labels ?? [])).toEqual([0, 0]);
    expect(s.classNames).toEqual(["a", "b"]);
  });
});
