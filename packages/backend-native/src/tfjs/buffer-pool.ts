// Reused output arrays for the native backend's kernels. A fresh Float32Array of a few MB costs about
// as much as the kernel that fills it: the allocator maps new pages and the kernel's first writes
// fault them in (measured here: +2 ms on a 3.2 MB conv output of a ~7 ms conv). Kernel outputs come
// from this pool and return to it when tfjs frees the last tensor that uses their memory.
//
// Safe by construction: only arrays the pool handed out come back (never a user's array given to
// tf.tensor); the backend counts, per pooled buffer, the tensors whose storage lies in it (a cpu kernel
// may return a view, e.g. a contiguous slice), and returns it only when none is left; reads hand out
// copies of pooled storage, so no array outside the backend ever aliases a buffer that gets reused.
import type { tf } from "./tf.js";

/** Arrays below this many elements are not pooled: V8 allocates small arrays cheaply on its own heap. */
export const pooledMinLength = 16_384;

export class BufferPool {
  private readonly free = new Map<number, Float32Array[]>();
  /** Per pooled buffer: how many live tensors store their values in it. */
  private readonly users = new Map<ArrayBufferLike, number>();
  private readonly pooled = new WeakSet<ArrayBufferLike>();
  private freeBytes = 0;
  /** Bytes of pooled buffers handed out and not yet back, and the most there ever were at once. */
  private usedBytes = 0;
  private peakUsedBytes = 0;

  /**
   * `maxFreeBytes`: memory kept idle for reuse, or as much as was ever in use at once where that is more
   * (a training step's working set, needed again by the next step: with a fixed 1 GiB cap the MNIST
   * U-Net's 1.3 GB step allocated 254 MiB afresh every step); beyond it freed arrays go to the GC.
   */
  constructor(private readonly maxFreeBytes: number) {}

  /** An array of n floats whose contents are arbitrary: the caller overwrites every element. */
  take(n: number): Float32Array {
    if (n < pooledMinLength) return new Float32Array(n);
    let array = this.free.get(n)?.pop();
    if (array !== undefined) {
      this.freeBytes -= array.byteLength;
    } else {
      array = new Float32Array(n);
      this.pooled.add(array.buffer);
    }
    this.usedBytes += array.byteLength;
    this.peakUsedBytes = Math.max(this.peakUsedBytes, this.usedBytes);
    return array;
  }

  /** Whether `values` lies in a buffer of this pool (reads must copy it). */
  owns(values: unknown): values is Float32Array {
    return values instanceof Float32Array && this.pooled.has(values.buffer);
  }

  /** A tensor now stores its values in `values`. */
  retain(values: unknown): void {
    if (!this.owns(values)) return;
    this.users.set(values.buffer, (this.users.get(values.buffer) ?? 0) + 1);
  }

  /** A tensor that stored its values in `values` is gone; the buffer is free once none is left. */
  release(values: unknown): void {
    if (!this.owns(values)) return;
    const left = (this.users.get(values.buffer) ?? 1) - 1;
    if (left > 0) {
      this.users.set(values.buffer, left);
      return;
    }
    this.users.delete(values.buffer);
    const whole = new Float32Array(values.buffer);
    this.usedBytes -= whole.byteLength;
    if (this.freeBytes + whole.byteLength > Math.max(this.maxFreeBytes, this.peakUsedBytes)) return;
    const list = this.free.get(whole.length) ?? [];
    list.push(whole);
    this.free.set(whole.length, list);
    this.freeBytes += whole.byteLength;
  }

  /** Bytes held idle for reuse. */
  get idleBytes(): number {
    return this.freeBytes;
  }
}

const pools = new WeakMap<object, BufferPool>();

/** The pool of a backend instance, if it has one. */
export function poolOf(backend: unknown): BufferPool | undefined {
  return pools.get(backend as object);
}

/**
 * Gives a cpu-derived backend instance a pool: its writes and frees keep the pool's counts, and its
 * reads return copies of pooled storage.
 */
export function attachPool(backend: tf.MathBackendCPU, pool: BufferPool): void {
  pools.set(backend, pool);
  const write = backend.write.bind(backend);
  const disposeData = backend.disposeData.bind(backend);
  const readSync = backend.readSync.bind(backend);
  backend.write = (values, shape, dtype) => {
    pool.retain(values);
    return write(values, shape, dtype);
  };
  backend.disposeData = (dataId, force) => {
    const values = backend.data.get(dataId)?.values;
    const freed = disposeData(dataId, force);
    if (freed && values !== undefined) pool.release(values);
    return freed;
  };
  backend.readSync = (dataId) => {
    const values = readSync(dataId);
    return pool.owns(values) ? values.slice() : values;
  };
}
