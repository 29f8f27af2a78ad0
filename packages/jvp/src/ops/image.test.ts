import { Rng, randomNormal, type Tensor, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { describeJvpCases, type JvpCase, withReverseMode } from "../jvp-cases.test-util.js";
import { jvpDotProductCheck, jvpTolerances, relativeError } from "../testing/index.js";
import { avgPool, imagePrimitives, resizeBilinear, resizeNearestNeighbor } from "./image.js";

const rng = Rng.seeded(17);
const x = randomNormal(rng, [2, 4, 4, 3]); // [B, H, W, C]

// Tolerances and their reasons: `jvpTolerances`.
const cases: JvpCase[] = [
  ["avgPool 2×2, stride 2", (a) => avgPool(a, 2, 2, "valid"), [x]],
  ["avgPool 3×3, same", (a) => avgPool(a, 3, 1, "same"), [x]],
  ["resizeNearestNeighbor ×2", (a) => resizeNearestNeighbor(a, [8, 8]), [x]],
  ["resizeNearestNeighbor, half-pixel centres", (a) => resizeNearestNeighbor(a, [6, 5], false, true), [x]],
  ["resizeBilinear ×2", (a) => resizeBilinear(a, [8, 8]), [x]],
  ["resizeBilinear, align corners", (a) => resizeBilinear(a, [7, 5], true), [x]],
];

describeJvpCases(cases, rng, imagePrimitives);

describe("avgPool", () => {
  it("gives tf.avgPool's values with same padding, and a reverse-mode gradient equal to the JVP's adjoint", (ctx) => {
    const ours = avgPool(x, 3, 2, "same");
    const ref = tf.avgPool(x as tf.Tensor4D, 3, 2, "same");
    // Same sums over the same taps divided by the same counts: float32 rounding of a 9-term mean.
    expect(relativeError(ours, ref)).toBeLessThan(1e-6);
    // The dot-product identity pairs our JVP with tfjs's tape over our implementation.
    expect(jvpDotProductCheck((a) => avgPool(a, 3, 2, "same"), [x], rng).error).toBeLessThan(
      jvpTolerances.dotProduct,
    );
    tf.dispose([ours, ref]);
  });
});

describe("resizeNearestNeighbor", () => {
  it("gives tf.image.resizeNearestNeighbor's values exactly, and a reverse-mode gradient equal to the JVP's adjoint", (ctx) => {
    for (const [size, alignCorners, halfPixelCenters] of [
      [[8, 8], false, false],
      [[8, 12], false, true],
      [[6, 5], false, true],
      [[7, 3], true, false],
      [[3, 2], false, false],
    ] as Array<[[number, number], boolean, boolean]>) {
      const ours = resizeNearestNeighbor(x, size, alignCorners, halfPixelCenters);
      const ref = tf.image.resizeNearestNeighbor(x as tf.Tensor4D, size, alignCorners, halfPixelCenters);
      // Both copy input pixels: exact.
      expect(relativeError(ours, ref)).toBe(0);
      const fn = (a: Tensor) => resizeNearestNeighbor(a, size, alignCorners, halfPixelCenters);
      // Tolerance and its reason: `jvpTolerances`.
      expect(withReverseMode(ctx, () => jvpDotProductCheck(fn, [x], rng)).error).toBeLessThan(
        jvpTolerances.dotProduct,
      );
      tf.dispose([ours, ref]);
    }
  });
});
