// Test helper: how many device reads a call makes, counted at the tfjs engine, where every `dataSync`
// and `arraySync` (the engine's `readSync`) and every `data()` (its `read`) of any tensor passes;
// a backend kernel's own host access does not. Tests that pin "one read per training step" or "one
// read per sampler call" use it.
import { tf } from "../tf.js";

/** A call's result with the synchronous and awaited reads it made. */
export interface ReadCount<T> {
  readonly value: T;
  readonly sync: number;
  readonly async: number;
}

type Counted = "readSync" | "read";
type Reader = (...args: unknown[]) => unknown;

/** Wraps the engine's two read methods with counters until `stop()` puts them back as they were. */
function startCounting(): { counts: Record<Counted, number>; stop: () => void } {
  // The two methods as plain functions (their signatures differ only in sync vs promised values).
  const engine = tf.engine() as unknown as Record<Counted, Reader>;
  const counts: Record<Counted, number> = { readSync: 0, read: 0 };
  const own = { readSync: Object.hasOwn(engine, "readSync"), read: Object.hasOwn(engine, "read") };
  const original = { readSync: engine.readSync, read: engine.read };
  for (const name of ["readSync", "read"] as const) {
    engine[name] = function (this: unknown, ...args: unknown[]) {
      counts[name] += 1;
      return original[name].apply(this, args);
    };
  }
  const stop = () => {
    for (const name of ["readSync", "read"] as const) {
      if (own[name]) engine[name] = original[name];
      else delete (engine as Partial<Record<Counted, unknown>>)[name];
    }
  };
  return { counts, stop };
}

/** `fn`'s result and the device reads it made. */
export function countReads<T>(fn: () => T): ReadCount<T> {
  const { counts, stop } = startCounting();
  try {
    const value = fn();
    return { value, sync: counts.readSync, async: counts.read };
  } finally {
    stop();
  }
}

/** `fn`'s result, awaited, and the device reads it made until it settled. */
export async function countReadsAsync<T>(fn: () => T | Promise<T>): Promise<ReadCount<T>> {
  const { counts, stop } = startCounting();
  try {
    const value = await fn();
    return { value, sync: counts.readSync, async: counts.read };
  } finally {
    stop();
  }
}
