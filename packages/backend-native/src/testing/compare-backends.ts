// Test helpers for checking one backend against another: run the same program on each and measure
// how far apart the results are.
import { tf } from "../tfjs/tf.js";

type Tensor = tf.Tensor;

/** A result read back to the host. */
export interface HostTensor {
  readonly shape: number[];
  readonly values: Float32Array;
}

/** Runs `program` on the tfjs backend `name` (inputs created inside it) and reads its outputs back. */
export async function runOn(name: string, program: () => Tensor | Tensor[]): Promise<HostTensor[]> {
  const previous = tf.getBackend();
  await tf.setBackend(name);
  try {
    const out = tf.tidy(program);
    const list = Array.isArray(out) ? out : [out];
    const read = list.map((t) => ({ shape: t.shape, values: Float32Array.from(t.dataSync()) }));
    tf.dispose(list);
    return read;
  } finally {
    await tf.setBackend(previous);
  }
}

/** max |a − b| / max(|b|, floor): the error relative to the reference's scale. */
export function relativeError(a: HostTensor, b: HostTensor, floor = 1e-30): number {
  if (a.values.length !== b.values.length) return Number.POSITIVE_INFINITY;
  let err = 0;
  let scale = floor;
  for (let i = 0; i < b.values.length; i++) {
    const x = a.values[i]!;
    const y = b.values[i]!;
    if (Number.isNaN(x) !== Number.isNaN(y)) return Number.POSITIVE_INFINITY;
    if (!Number.isNaN(y)) err = Math.max(err, Math.abs(x - y));
    scale = Math.max(scale, Math.abs(y));
  }
  return err / scale;
}

/**
 * Where two results differ (Object.is per element, so NaN matches NaN and 0 does not match −0): the
 * first `max` as "[i] a vs b", plus a length mismatch. `expect(...).toEqual([])` checks a whole array
 * in one assertion; vitest's deep equality over typed arrays of 10⁵ values is slow on a busy machine.
 */
export function valueMismatches(a: ArrayLike<number>, b: ArrayLike<number>, max = 5): string[] {
  const out: string[] = [];
  if (a.length !== b.length) out.push(`length ${a.length} vs ${b.length}`);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n && out.length < max; i++)
    if (!Object.is(a[i], b[i])) out.push(`[${i}] ${a[i]} vs ${b[i]}`);
  return out;
}

/** The error message `program` throws on backend `name`, or undefined if it does not throw. */
export async function errorOn(name: string, program: () => unknown): Promise<string | undefined> {
  const previous = tf.getBackend();
  await tf.setBackend(name);
  try {
    tf.tidy(() => {
      program();
      return undefined;
    });
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await tf.setBackend(previous);
  }
}
