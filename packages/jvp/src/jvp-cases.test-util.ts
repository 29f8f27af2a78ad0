// Shared by the op tests (not built: excluded in tsconfig.json): one describe per case, asserting the
// finite-difference, dot-product and no-leak checks of `jvpReport` within `jvpTolerances`.
import { type Rng, randomNormal, type Tensor, tf } from "@scm/backend";
import { describe, expect, it, type TestContext } from "vitest";
import { jvp } from "./jvp.js";
import {
  jvpDotProductCheck,
  jvpFiniteDifferenceError,
  jvpTolerances,
  leakedTensors,
  type TestFn,
} from "./testing/index.js";

/**
 * Runs a reverse-mode reference computation; on a backend other than cpu that lacks one of its
 * kernels (wasm has no Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropInput, UnsortedSegmentSum)
 * the test is skipped, naming the kernel. On cpu every kernel exists, so nothing is ever skipped there.
 */
export function withReverseMode<T>(ctx: TestContext, run: () => T): T {
  try {
    return run();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (tf.getBackend() !== "cpu" && /not registered for backend/.test(message)) {
      ctx.skip(`reverse-mode reference unavailable on ${tf.getBackend()}: ${message}`);
    }
    throw err;
  }
}

/** A named function and the primals to check its JVP at. */
export type JvpCase = [name: string, fn: TestFn, primals: Tensor[]];

/** Checks each case's JVP against central finite differences and the dot-product identity, and for leaks. */
export function describeJvpCases(cases: JvpCase[], rng: Rng): void {
  describe.each(cases)("%s", (_name, fn, primals) => {
    // Tolerances and their reasons: `jvpTolerances`.
    it("matches central finite differences, leaking nothing", () => {
      expect(jvpFiniteDifferenceError(fn, primals, { rng })).toBeLessThan(jvpTolerances.finiteDifference);
      const v = primals.map((p) => randomNormal(rng, p.shape));
      expect(leakedTensors(() => jvp(fn, primals, v))).toBe(0);
      tf.dispose(v);
    });
    it("satisfies the dot-product identity ⟨u, J·v⟩ = ⟨Jᵀu, v⟩", (ctx) => {
      const { error } = withReverseMode(ctx, () => jvpDotProductCheck(fn, primals, rng));
      expect(error).toBeLessThan(jvpTolerances.dotProduct);
    });
  });
}
