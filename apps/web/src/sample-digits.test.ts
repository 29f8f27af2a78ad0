import { describe, expect, it } from "vitest";
import { requestLabels } from "./sample-digits.js";

describe("requestLabels", () => {
  const request = { digit: "random" as const, steps: 1, seed: 5, n: 64 };

  it("gives every sample the digit asked for", () => {
    expect(requestLabels({ ...request, digit: 4, n: 3 }, 10)).toEqual([4, 4, 4]);
  });

  it("draws random classes from the seed alone: the same seed, the same classes", () => {
    const labels = requestLabels(request, 10)!;
    expect(labels).toHaveLength(64);
    expect(labels.every((c) => Number.isInteger(c) && c >= 0 && c < 10)).toBe(true);
    expect(new Set(labels).size).toBeGreaterThan(5);
    expect(requestLabels(request, 10)).toEqual(labels);
    expect(requestLabels({ ...request, seed: 6 }, 10)).not.toEqual(labels);
  });

  it("gives no labels for an unconditional model", () => {
    expect(requestLabels(request, 0)).toBeUndefined();
  });
});
