import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { FidInputError } from "./errors.js";
import { kthNeighbourDistances2, precisionRecall } from "./precision-recall.js";

// Points on the x-axis of the plane, as [N, 2] features.
const line = (xs: number[]) => ndarray(Float64Array.from(xs.flatMap((x) => [x, 0])), [xs.length, 2]);

describe("precisionRecall", () => {
  it("counts generated points inside the real k = 3 manifold, boundary included", () => {
    // real = 0..9 on a line: the 3rd neighbour of an interior point is 2 away, of 0 and 9 it is 3 away
    // (0: 1, 2, 3), of 1 and 8 also 2 (1: 0|2, 3). fake: 4.5 (inside), 12 (= 9 + 3: on 9's boundary,
    // inside), 12.5 (outside: 9 + 3 < 12.5, 8 + 2 < 12.5), 100 (outside) → precision 2/4.
    // fake's own radii: sorted 4.5, 12, 12.5, 100; 3rd neighbours: 4.5 → 95.5, 12 → 88, 12.5 → 87.5,
    // 100 → 95.5; 4.5's ball [−91, 100] holds all of 0..9 → recall 1.
    const { precision, recall } = precisionRecall(
      line([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
      line([4.5, 12, 12.5, 100]),
    );
    // integer-valued distances: exact in float64
    expect(precision).toBe(0.5);
    expect(recall).toBe(1);
  });

  it("gives precision 1 and recall 13/20 for a generator that covers half of the real set", () => {
    // real = 0..19, fake = 0..9 (a subset): every fake point is a real point → precision 1. fake's radii
    // are 2 (3 at its ends 0 and 9), so real 10, 11, 12 are inside (9 + 3 = 12), 13..19 are not:
    // recall = 13/20.
    const real = line(Array.from({ length: 20 }, (_, i) => i));
    const fake = line(Array.from({ length: 10 }, (_, i) => i));
    const { precision, recall } = precisionRecall(real, fake);
    expect(precision).toBe(1);
    expect(recall).toBe(13 / 20);
  });

  it("takes k from the options (k = 1: radius = distance to the nearest neighbour)", () => {
    // real = 0, 1, 3, 7 → radii 1, 1, 2, 4; fake 5 is within 4 of 7 → inside; fake 12 is not
    const { precision } = precisionRecall(line([0, 1, 3, 7]), line([5, 12]), { k: 1 });
    expect(precision).toBe(0.5);
  });

  it("rejects k ≥ the size of a set", () => {
    expect(() => precisionRecall(line([0, 1, 2]), line([0, 1, 2, 3]))).toThrow(FidInputError);
  });
});

describe("kthNeighbourDistances2", () => {
  it("returns squared k-th neighbour distances beyond one 256-row block", () => {
    // 300 points 0, 2, 4, …: interior 3rd neighbour 4 away (16), ends 6 away (36)
    const n = 300;
    const x = Float64Array.from({ length: n }, (_, i) => 2 * i);
    const r = kthNeighbourDistances2(x, n, 1, 3);
    expect([r[0], r[1], r[150], r[298], r[299]]).toEqual([36, 16, 16, 16, 36]);
  });
});
