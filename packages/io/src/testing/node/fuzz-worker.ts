// The worker side of `pnpm fuzz`: runs a range of cases of one target, reporting each new crash
// signature and then its minimized input; the runner's watchdog ends it if a case hangs.
import { parentPort, workerData } from "node:worker_threads";
import { minimize } from "../minimize.js";
import { caseInput, classify } from "../run-case.js";
import type { FuzzTarget } from "../target.js";
import { BEAT, CASE, type WorkerInput, type WorkerMessage } from "./protocol.js";

const input = workerData as WorkerInput;
const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => parentPort?.postMessage(m, transfer);
const counters = new Int32Array(input.shared);
const mod = (await import(input.module)) as { fuzzTargets: readonly FuzzTarget[] };
const target = mod.fuzzTargets.find((t) => t.name === input.target);
if (target === undefined) throw new Error(`No fuzz target "${input.target}" in ${input.module}.`);
const corpus = target.corpus();
const known = new Set(input.known);
const first = new Map<string, Uint8Array>(); // signature → the raw (unwrapped) input that first showed it
let decoded = 0;
let refused = 0;
let slowest = { index: input.from, ms: 0 };
const progress = (done: number) =>
  post({ type: "progress", done, decoded, refused, slowestIndex: slowest.index, slowestMs: slowest.ms });

for (let index = input.from; index < input.to; index++) {
  Atomics.store(counters, CASE, index);
  Atomics.add(counters, BEAT, 1);
  const { raw, input: bytes, applied } = caseInput(target, corpus, input.seed, index);
  const t0 = performance.now();
  const r = classify(target, bytes);
  const ms = performance.now() - t0;
  if (ms > slowest.ms) slowest = { index, ms };
  if (r.outcome === "decoded") decoded++;
  else if (r.outcome === "refused") refused++;
  else {
    const signature = r.signature as string;
    post({ type: "crash", index, signature, message: r.message as string, applied });
    if (!known.has(signature) && !first.has(signature)) first.set(signature, raw);
  }
  if ((index - input.from + 1) % 25 === 0) progress(index - input.from + 1);
}
progress(input.to - input.from);

// minimize each new crash; the watchdog still watches (a candidate that hangs ends the worker)
for (const [signature, raw] of first) {
  const wrap = (b: Uint8Array) => (target.wrap === undefined ? b : target.wrap(b));
  const small = minimize(
    raw,
    (b) => {
      Atomics.add(counters, BEAT, 1);
      const r = classify(target, wrap(b));
      return r.outcome === "crash" && r.signature === signature;
    },
    input.minimizeTries,
  );
  const bytes = wrap(small);
  post({ type: "minimized", signature, input: bytes }, [bytes.buffer as ArrayBuffer]);
}
