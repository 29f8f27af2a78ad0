// The in-process fuzz loop that `pnpm test` runs: a few hundred seeded cases per target, every
// crash reported with what reproduces it. (`pnpm fuzz` runs the same cases in a watched worker.)
import { caseInput, classify } from "./run-case.js";
import type { FuzzTarget } from "./target.js";

/** An input that crashed a decoder with something other than its typed error. */
export interface FuzzCrash {
  readonly target: string;
  readonly seed: number;
  readonly index: number;
  readonly applied: readonly string[];
  readonly signature: string;
  readonly message: string;
  readonly input: Uint8Array;
}

/** What a fuzz run found. */
export interface FuzzReport {
  readonly target: string;
  readonly cases: number;
  readonly decoded: number;
  readonly refused: number;
  readonly crashes: FuzzCrash[];
  /** The slowest case, by index, and its time in milliseconds (reported, never asserted). */
  readonly slowest: { index: number; ms: number };
}

/** Runs cases `from`..`from + cases - 1` of `target` under `seed` in this thread. */
export function fuzz(
  target: FuzzTarget,
  options: { seed: number; cases: number; from?: number },
): FuzzReport {
  const corpus = target.corpus();
  const from = options.from ?? 0;
  let decoded = 0;
  let refused = 0;
  const crashes: FuzzCrash[] = [];
  let slowest = { index: from, ms: 0 };
  for (let index = from; index < from + options.cases; index++) {
    const { input, applied } = caseInput(target, corpus, options.seed, index);
    const t0 = performance.now();
    const r = classify(target, input);
    const ms = performance.now() - t0;
    if (ms > slowest.ms) slowest = { index, ms };
    if (r.outcome === "decoded") decoded++;
    else if (r.outcome === "refused") refused++;
    else
      crashes.push({
        target: target.name,
        seed: options.seed,
        index,
        applied,
        signature: r.signature ?? "",
        message: r.message ?? "",
        input,
      });
  }
  return { target: target.name, cases: options.cases, decoded, refused, crashes, slowest };
}

/** A crash as one line for a test failure or a report. */
export function describeCrash(c: FuzzCrash): string {
  return `${c.target} case ${c.index} (seed ${c.seed}; ${c.applied.join(", ")}; ${c.input.length} bytes): ${c.message}`;
}
