// Shared by the op tests (not built: excluded in tsconfig.json): one describe per case, asserting the
// finite-difference, dot-product and no-leak checks of `jvpReport` within `jvpTolerances`, and, given
// the op file's part of the primitive table, that every primitive in it has a case that runs its rule
// (primitives.test.ts checks that every part of the table is given to such a call).
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

// A part of the primitive table (`arithmeticPrimitives`, …): primitives by name.
type PrimitiveTable = Readonly<Record<string, object>>;

/**
 * The names of `table`'s primitives whose JVP rule ran during `run`: each rule is wrapped (on the
 * table's own object, which is the one `bind` calls) while `run` runs, then restored.
 */
export function primitivesRun(table: PrimitiveTable, run: () => void): Set<string> {
  const ran = new Set<string>();
  const restore: (() => void)[] = [];
  for (const [name, primitive] of Object.entries(table)) {
    const rules = primitive as Record<string, unknown>;
    const key = "jointJvp" in rules ? "jointJvp" : "jvp";
    const rule = rules[key] as (...args: unknown[]) => unknown;
    rules[key] = (...args: unknown[]) => {
      ran.add(name);
      return rule(...args);
    };
    restore.push(() => {
      rules[key] = rule;
    });
  }
  try {
    run();
  } finally {
    for (const undo of restore) undo();
  }
  return ran;
}

/**
 * Checks each case's JVP against central finite differences and the dot-product identity, and for
 * leaks; with `table`, also that the cases run the JVP rule of every primitive in it.
 */
export function describeJvpCases(cases: JvpCase[], rng: Rng, table?: PrimitiveTable): void {
  if (table !== undefined) {
    it("has a case for every primitive of its table (each primitive's JVP rule runs in some case)", () => {
      const ran = primitivesRun(table, () => {
        for (const [, fn, primals] of cases) {
          const tangents = primals.map((p) => tf.onesLike(p));
          tf.dispose(jvp(fn, primals, tangents) as tf.TensorContainer);
          tf.dispose(tangents);
        }
      });
      expect(Object.keys(table).filter((name) => !ran.has(name))).toEqual([]);
    });
  }
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
