// One fuzz case: regenerate its input from (seed, index), decode it, classify what happened.
import { mutate } from "./mutate.js";
import { caseRng } from "./rng.js";
import type { FuzzTarget } from "./target.js";

/** What one case did: decoded, was refused with the typed error, or crashed with anything else. */
export type Outcome = "decoded" | "refused" | "crash";

/** The input of case `index`: `raw` is the mutated corpus file, `input` that wrapped as the target asks. */
export function caseInput(
  target: FuzzTarget,
  corpus: readonly Uint8Array[],
  seed: number,
  index: number,
): { raw: Uint8Array; input: Uint8Array; applied: string[] } {
  const { input: raw, applied } = mutate(corpus, caseRng(seed, index));
  return { raw, input: target.wrap === undefined ? raw : target.wrap(raw), applied };
}

/** Decodes `input` and says how it went; a crash carries a signature (error name and message, numbers elided). */
export function classify(
  target: FuzzTarget,
  input: Uint8Array,
): { outcome: Outcome; signature?: string; message?: string } {
  try {
    target.decode(input);
    return { outcome: "decoded" };
  } catch (e) {
    if (target.expected(e)) return { outcome: "refused" };
    const message = e instanceof Error ? `${e.name}: ${e.message}` : `thrown ${typeof e}`;
    return { outcome: "crash", signature: signatureOf(message), message: message.slice(0, 300) };
  }
}

/** A failure's identity across inputs: its message with numbers and quoted text elided. */
export function signatureOf(message: string): string {
  return message
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d+/g, "N")
    .slice(0, 160);
}
