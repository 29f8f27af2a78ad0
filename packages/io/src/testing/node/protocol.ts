// Messages between the watched fuzz runner and its worker, and the shared counters the watchdog reads.

/** What the runner gives the worker. */
export interface WorkerInput {
  /** URL of a module exporting `fuzzTargets: FuzzTarget[]`. */
  readonly module: string;
  readonly target: string;
  readonly seed: number;
  /** Cases `from` to `to - 1`. */
  readonly from: number;
  readonly to: number;
  /** Crash signatures already reported (not minimized again after a restart). */
  readonly known: readonly string[];
  readonly minimizeTries: number;
  /** Int32Array view: [CASE] the case running now, [BEAT] bumped before every decode. */
  readonly shared: SharedArrayBuffer;
}

/** Slots of the shared Int32Array. */
export const CASE = 0;
export const BEAT = 1;

/** What the worker reports. */
export type WorkerMessage =
  | { type: "crash"; index: number; signature: string; message: string; applied: string[] }
  | { type: "minimized"; signature: string; input: Uint8Array }
  | {
      type: "progress";
      done: number;
      decoded: number;
      refused: number;
      slowestIndex: number;
      slowestMs: number;
    };
