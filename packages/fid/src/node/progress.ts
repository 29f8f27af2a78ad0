// A one-line progress bar on stderr: done/total, rate and time left; redrawn in place on a TTY,
// printed every 10% otherwise (logs stay short).

/** A progress reporter: call `update(done)` as work completes and `finish()` at the end. */
export interface ProgressBar {
  update(done: number): void;
  finish(): void;
}

/** Formats seconds as `1h02m`, `3m05s` or `12s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}

/** The bar's text for `done` of `total` after `elapsed` seconds. */
export function progressLine(
  label: string,
  done: number,
  total: number,
  elapsed: number,
  width = 24,
): string {
  const fraction = total === 0 ? 1 : done / total;
  const filled = Math.round(fraction * width);
  const rate = elapsed > 0 ? done / elapsed : 0;
  const eta = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
  return `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${rate.toFixed(1)} img/s ETA ${formatDuration(eta)}`;
}

/** A progress bar writing to `stream` (default stderr). */
export function progressBar(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressBar {
  const start = performance.now();
  let lastDecile = -1;
  const tty = stream.isTTY === true;
  return {
    update(done) {
      const line = progressLine(label, done, total, (performance.now() - start) / 1000);
      if (tty) stream.write(`\r${line}`);
      else {
        const decile = Math.floor((10 * done) / Math.max(total, 1));
        if (decile !== lastDecile) {
          lastDecile = decile;
          stream.write(`${line}\n`);
        }
      }
    },
    finish() {
      if (tty) stream.write("\n");
    },
  };
}
