// A terminal progress bar for long loops (training steps, FID batches): bar, count/total, rate, ETA
// and extra fields such as the loss. On a TTY it redraws one line in place with "\r"; in a log file
// (not a TTY) it prints a plain line at most every few seconds. The clock is injectable for tests.

/** Where the bar is written: process.stderr or anything with `write` (and optionally `isTTY`, `columns`). */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Options for `createProgress`. */
export interface ProgressOptions {
  /** The count at completion (> 0). */
  total: number;
  /** Text before the bar (e.g. "train"). */
  label?: string;
  /** Output stream (default process.stderr). */
  stream?: ProgressStream;
  /** The unit of the rate (default "it", e.g. "img" for images/s). */
  unit?: string;
  /** Clock in milliseconds (default performance.now); tests pass a fake. */
  now?: () => number;
  /** Redraw in place (default: stream.isTTY). */
  tty?: boolean;
  /** The count already done when the bar starts (a resumed run): the rate counts from here (default 0). */
  initial?: number;
  /** Characters of the bar (default 24). */
  barWidth?: number;
  /** Least milliseconds between plain lines when not a TTY (default 5000). */
  logInterval?: number;
  /** Least milliseconds between in-place redraws on a TTY (default 100). */
  ttyInterval?: number;
}

/** A running progress bar. */
export interface Progress {
  /** Records `done` units finished (and extra fields to show, e.g. { loss: 0.12 }), redrawing when due. */
  update(done: number, extra?: Record<string, string | number>): void;
  /** Draws the final line (with the elapsed time) and ends it with a newline; later calls do nothing. */
  finish(extra?: Record<string, string | number>): void;
  /** The line as it would be drawn now. */
  line(): string;
}

/** Seconds as m:ss, or h:mm:ss from an hour up ("--:--" when unknown). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

function formatRate(r: number): string {
  if (!Number.isFinite(r)) return "-";
  return r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2);
}

function formatValue(v: string | number): string {
  return typeof v === "number" ? String(Number(v.toPrecision(4))) : v;
}

/** Starts a progress bar: `update(done, extra)` in the loop, `finish()` at the end. */
export function createProgress(options: ProgressOptions): Progress {
  const { total } = options;
  if (!(total > 0) || !Number.isFinite(total)) {
    throw new RangeError(`The progress total is ${total}; expected a positive finite number.`);
  }
  const stream: ProgressStream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const tty = options.tty ?? stream.isTTY === true;
  const unit = options.unit ?? "it";
  const barWidth = options.barWidth ?? 24;
  const logInterval = options.logInterval ?? 5000;
  const ttyInterval = options.ttyInterval ?? 100;
  const start = now();
  const initial = options.initial ?? 0;
  let done = initial;
  let extra: Record<string, string | number> = {};
  let lastDraw = Number.NEGATIVE_INFINITY;
  let finished = false;
  const countWidth = String(total).length;

  const render = (final: boolean): string => {
    const elapsed = (now() - start) / 1000;
    const rate = elapsed > 0 ? (done - initial) / elapsed : Number.NaN;
    const frac = Math.min(1, Math.max(0, done / total));
    const filled = Math.floor(frac * barWidth);
    const bar = `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}]`;
    const count = `${String(done).padStart(countWidth)}/${total}`;
    const time = final
      ? `in ${formatDuration(elapsed)}`
      : `ETA ${formatDuration(rate > 0 ? (total - done) / rate : Number.NaN)}`;
    const fields = Object.entries(extra).map(([k, v]) => `${k}=${formatValue(v)}`);
    return [options.label, bar, count, `${formatRate(rate)} ${unit}/s`, time, ...fields]
      .filter((p) => p !== undefined && p !== "")
      .join(" ");
  };

  const draw = (final: boolean): void => {
    let line = render(final);
    if (tty) {
      // keep to one terminal row: a wrapped line cannot be redrawn with "\r"
      const cols = stream.columns;
      if (cols !== undefined && cols > 1 && line.length > cols - 1) line = line.slice(0, cols - 1);
      stream.write(`\r${line}\x1b[K${final ? "\n" : ""}`);
    } else {
      stream.write(`${line}\n`);
    }
    lastDraw = now();
  };

  return {
    update(d, e) {
      if (finished) return;
      done = d;
      if (e !== undefined) extra = { ...extra, ...e };
      const since = now() - lastDraw;
      if (since >= (tty ? ttyInterval : logInterval)) draw(false);
    },
    finish(e) {
      if (finished) return;
      if (e !== undefined) extra = { ...extra, ...e };
      finished = true;
      draw(true);
    },
    line: () => render(false),
  };
}
