import { describe, expect, it } from "vitest";
import { datasetStats } from "./stats.js";

describe("datasetStats", () => {
  it("gives the population mean and std overall and per channel", () => {
    // two samples of [2]: channel 0 = {1, 3}, channel 1 = {−2, 2}
    const s = datasetStats({ x: Float32Array.from([1, -2, 3, 2]), sampleShape: [2], n: 2, name: "t" });
    expect(s.channelMean).toEqual([2, 0]);
    expect(s.channelStd).toEqual([1, 2]); // sqrt(((1−2)² + (3−2)²)/2) = 1, sqrt((4 + 4)/2) = 2
    expect(s.mean).toBe(1); // (1 − 2 + 3 + 2)/4
    // overall: deviations 0, −3, 2, 1 → sqrt(14/4)
    expect(s.std).toBeCloseTo(Math.sqrt(3.5), 12); // float64 sums of small integers
    expect([s.min, s.max]).toEqual([-2, 3]);
  });
});
