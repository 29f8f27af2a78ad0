// The runner side of `pnpm fuzz`: one target's cases in a worker thread under a watchdog. A case that
// makes no progress for `hangMs` or pushes the process past `maxRssBytes` ends the worker; it is
// recorded (its input regenerated here from seed and index) and the run resumes at the next case.
import { Worker } from "node:worker_threads";
import { caseInput } from "../run-case.js";
import type { FuzzTarget } from "../target.js";
import { BEAT, CASE, type WorkerInput, type WorkerMessage } from "./protocol.js";

/** One distinct failure of a watched run. */
export interface WatchedFailure {
  readonly kind: "crash" | "hang" | "memory";
  readonly signature: string;
  readonly message: string;
  /** Every case index that showed it. */
  readonly indices: number[];
  /** The smallest reproducer found (crashes are minimized; hangs and memory blow-ups are kept as they came). */
  input: Uint8Array;
  minimized: boolean;
}

/** What a watched run of one target found. */
export interface WatchedReport {
  readonly target: string;
  readonly cases: number;
  decoded: number;
  refused: number;
  readonly failures: WatchedFailure[];
  /** The highest resident set size seen while the target ran, in bytes. */
  peakRssBytes: number;
  slowest: { index: number; ms: number };
  seconds: number;
}

/** Options of `fuzzWatched`. */
export interface WatchedOptions {
  /** URL of the module exporting `fuzzTargets` (the worker imports it). */
  readonly module: string;
  readonly target: FuzzTarget;
  readonly seed: number;
  readonly cases: number;
  readonly hangMs: number;
  readonly maxRssBytes: number;
  readonly minimizeTries: number;
  readonly onProgress?: (done: number, report: WatchedReport) => void;
}

const WORKER = new URL("./fuzz-worker.js", import.meta.url);

/** Runs `cases` cases of the target in watched workers, restarting after each hang or memory blow-up. */
export async function fuzzWatched(o: WatchedOptions): Promise<WatchedReport> {
  const t0 = performance.now();
  const corpus = o.target.corpus();
  const report: WatchedReport = {
    target: o.target.name,
    cases: o.cases,
    decoded: 0,
    refused: 0,
    failures: [],
    peakRssBytes: process.memoryUsage.rss(),
    slowest: { index: 0, ms: 0 },
    seconds: 0,
  };
  const bySignature = new Map<string, WatchedFailure>();
  const record = (kind: WatchedFailure["kind"], index: number, signature: string, message: string) => {
    const known = bySignature.get(signature);
    const { input } = caseInput(o.target, corpus, o.seed, index);
    if (known !== undefined) {
      known.indices.push(index);
      // hangs and blow-ups are not minimized (each try could hang); keep the smallest input seen
      if (!known.minimized && input.length < known.input.length) known.input = input;
      return;
    }
    const f: WatchedFailure = { kind, signature, message, indices: [index], input, minimized: false };
    bySignature.set(signature, f);
    report.failures.push(f);
  };
  let from = 0;
  while (from < o.cases) {
    const stopped = await runWorker(o, from, [...bySignature.keys()], report, record);
    if (stopped === undefined) break;
    from = stopped + 1;
  }
  report.seconds = (performance.now() - t0) / 1000;
  return report;
}

/** One worker from case `from`; resolves to the case it was stopped at, or undefined when it finished. */
function runWorker(
  o: WatchedOptions,
  from: number,
  known: string[],
  report: WatchedReport,
  record: (kind: WatchedFailure["kind"], index: number, signature: string, message: string) => void,
): Promise<number | undefined> {
  const shared = new SharedArrayBuffer(8);
  const counters = new Int32Array(shared);
  counters[CASE] = from;
  const data: WorkerInput = {
    module: o.module,
    target: o.target.name,
    seed: o.seed,
    from,
    to: o.cases,
    known,
    minimizeTries: o.minimizeTries,
    shared,
  };
  const worker = new Worker(WORKER, { workerData: data });
  let base = { decoded: report.decoded, refused: report.refused };
  return new Promise((resolve) => {
    let lastBeat = -1;
    let lastChange = performance.now();
    let settled = false;
    const stop = (index: number | undefined) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      void worker.terminate();
      resolve(index);
    };
    const timer = setInterval(() => {
      const rss = process.memoryUsage.rss();
      if (rss > report.peakRssBytes) report.peakRssBytes = rss;
      const beat = Atomics.load(counters, BEAT);
      const now = performance.now();
      if (beat !== lastBeat) {
        lastBeat = beat;
        lastChange = now;
      }
      const index = Atomics.load(counters, CASE);
      if (rss > o.maxRssBytes) {
        record("memory", index, `resident memory over ${o.maxRssBytes} bytes`, `RSS reached ${rss} bytes`);
        stop(index);
      } else if (now - lastChange > o.hangMs) {
        record("hang", index, `no progress for ${o.hangMs} ms`, `case ${index} ran over ${o.hangMs} ms`);
        stop(index);
      }
    }, 50);
    worker.on("message", (m: WorkerMessage) => {
      if (m.type === "crash") record("crash", m.index, m.signature, m.message);
      else if (m.type === "progress") {
        report.decoded = base.decoded + m.decoded;
        report.refused = base.refused + m.refused;
        if (m.slowestMs > report.slowest.ms) report.slowest = { index: m.slowestIndex, ms: m.slowestMs };
        o.onProgress?.(from + m.done, report);
      } else {
        const f = report.failures.find((x) => x.signature === m.signature);
        if (f !== undefined) {
          f.input = m.input;
          f.minimized = true;
        }
      }
    });
    worker.on("error", (e) => {
      // an error the worker itself could not catch (a stack overflow outside a decode, out of memory)
      const index = Atomics.load(counters, CASE);
      record(
        "crash",
        index,
        `worker: ${e.name}: ${e.message}`.slice(0, 160),
        String(e.message).slice(0, 300),
      );
      stop(index);
    });
    worker.on("exit", () => {
      base = { decoded: report.decoded, refused: report.refused };
      stop(undefined);
    });
  });
}
