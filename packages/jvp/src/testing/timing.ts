// Wall-clock timing for benchmarks (`pnpm bench`; never in tests): one run read back to the host so
// lazy backends finish, and the fastest of interleaved runs.
import { type Tensor, tf } from "@scm/backend";

/** Every tensor of a container (a tensor, or arrays / objects of them). */
function tensorsOf(c: tf.TensorContainer): Tensor[] {
  if (c instanceof tf.Tensor) return [c];
  return c !== null && typeof c === "object" ? Object.values(c).flatMap(tensorsOf) : [];
}

/** Runs `fn`, reads every result back (so lazy backends finish), disposes them and returns the wall time in ms. */
export function timeOnce(fn: () => tf.TensorContainer): number {
  const start = performance.now();
  const out = fn();
  for (const t of tensorsOf(out)) t.dataSync();
  const ms = performance.now() - start;
  tf.dispose(out);
  return ms;
}

/**
 * The fastest of `repeats` interleaved runs of each function after a warm-up, in ms: the minimum is
 * the estimate least disturbed by other processes on a shared machine, and interleaving exposes every
 * function to the same load.
 */
export function fastest(fns: ReadonlyArray<() => tf.TensorContainer>, repeats: number): number[] {
  for (const fn of fns) timeOnce(fn);
  const best = fns.map(() => Number.POSITIVE_INFINITY);
  for (let i = 0; i < repeats; i++) {
    for (const [k, fn] of fns.entries()) best[k] = Math.min(best[k]!, timeOnce(fn));
  }
  return best;
}
