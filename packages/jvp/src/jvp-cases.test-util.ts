// Shared by the op tests (not built: excluded in tsconfig.json): one describe per case, asserting the
// finite-difference, dot-product and no-leak checks of `jvpReport` within `jvpTolerances`.
import type { Rng, Tensor } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { jvpReport, jvpTolerances, type TestFn } from "./testing/index.js";

/** A named function and the primals to check its JVP at. */
export type JvpCase = [name: string, fn: TestFn, primals: Tensor[]];

/** Checks each case's JVP against central finite differences and the dot-product identity, and for leaks. */
export function describeJvpCases(cases: JvpCase[], rng: Rng): void {
  describe.each(cases)("%s", (_name, fn, primals) => {
    it("matches central finite differences and the dot-product identity, leaking nothing", () => {
      const r = jvpReport(fn, primals, rng);
      // Tolerances and their reasons: `jvpTolerances`.
      expect(r.finiteDifference).toBeLessThan(jvpTolerances.finiteDifference);
      expect(r.dotProduct).toBeLessThan(jvpTolerances.dotProduct);
      expect(r.leaked).toBe(0);
    });
  });
}
