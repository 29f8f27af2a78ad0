import { describe, expect, it } from "vitest";
import type { Dataset } from "./dataset.js";
import { DataError } from "./errors.js";
import { mnistFidSplit } from "./mnist-split.js";

// 10 classes of 7 samples in class order; x = the sample's index, so parts show which samples they hold.
const ds: Dataset = {
  x: Float32Array.from({ length: 70 }, (_, i) => i),
  sampleShape: [1],
  n: 70,
  labels: Int32Array.from({ length: 70 }, (_, i) => Math.floor(i / 7)),
  numClasses: 10,
  name: "digits",
};

describe("mnistFidSplit", () => {
  it("holds out sample i of each class when i mod 5 = 4 and shuffles both parts", () => {
    const { train, heldOut } = mnistFidSplit(ds);
    // within a class of 7 only i = 4 is held out: samples 7c + 4
    const expectedHeld = Array.from({ length: 10 }, (_, c) => 7 * c + 4);
    expect([...heldOut.x].sort((a, b) => a - b)).toEqual(expectedHeld);
    expect(train.n).toBe(60);
    const all = [...train.x, ...heldOut.x].sort((a, b) => a - b);
    expect(all).toEqual(Array.from(ds.x));
    // labels follow their samples (label = floor(x / 7)), and the order is shuffled, not class order
    train.x.forEach((v, i) => {
      expect(train.labels?.[i]).toBe(Math.floor(v / 7));
    });
    expect([...train.x]).not.toEqual([...train.x].sort((a, b) => a - b));
    expect(heldOut.name).toBe("digits-heldout");
  });

  it("refuses data that is not in class order, where every fifth digit would be another set", () => {
    const shuffled = { ...ds, labels: Int32Array.from(ds.labels ?? [], (l, i) => (i === 0 ? 3 : l)) };
    expect(() => mnistFidSplit(shuffled)).toThrow(DataError);
    expect(() => mnistFidSplit(shuffled)).toThrow(
      /label 0 at index 1 \(after 3\); expected the digits in class order/,
    );
  });
});
