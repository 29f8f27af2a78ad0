import { describe, expect, it } from "vitest";
import { runOn } from "../testing/compare-backends.js";
import { nativeForTests } from "../testing/native.js";
import { BufferPool, pooledMinLength } from "./buffer-pool.js";
import { tf } from "./tf.js";

const { unavailable } = await nativeForTests();
const suite = (name: string) => (unavailable === undefined ? name : `${name} [skipped: ${unavailable}]`);

const n = 4 * pooledMinLength;
/** The storage a tensor has on the active (cpu-derived) backend. */
const storage = (t: tf.Tensor) =>
  (tf.backend() as tf.MathBackendCPU).data.get(t.dataId)!.values as Float32Array;
const same = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));

describe("BufferPool", () => {
  it("reuses a released array of the same length and keeps at most maxFreeBytes idle", () => {
    const pool = new BufferPool(2 * n * 4);
    const [a, b] = [pool.take(n), pool.take(n)];
    for (const x of [a, b]) {
      pool.retain(x);
      pool.release(x);
    }
    // a and b were in use at once, so the cap (two arrays) and the peak agree.
    const c = pool.take(n);
    pool.retain(c);
    pool.release(c);
    const d = pool.take(2 * n);
    pool.retain(d);
    pool.release(d);
    expect(pool.idleBytes).toBe(2 * n * 4); // b and a kept (c was b again); d went to the GC
    expect(c.buffer).toBe(b.buffer);
    expect(pool.take(n).buffer).toBe(b.buffer);
    expect(pool.take(n).buffer).toBe(a.buffer);
  });

  it("keeps idle as much as was in use at once when that exceeds maxFreeBytes (a step's working set)", () => {
    const pool = new BufferPool(n * 4);
    const arrays = [pool.take(n), pool.take(n), pool.take(n)]; // three in use at once
    for (const x of arrays) pool.retain(x);
    for (const x of arrays) pool.release(x);
    expect(pool.idleBytes).toBe(3 * n * 4);
    // The next "step" takes the same three again, none afresh.
    const again = [pool.take(n), pool.take(n), pool.take(n)];
    expect(again.map((x) => arrays.some((y) => y.buffer === x.buffer))).toEqual([true, true, true]);
  });

  it("frees a buffer only when the last tensor stored in it (a view, say) is gone", () => {
    const pool = new BufferPool(1 << 30);
    const a = pool.take(n);
    pool.retain(a);
    pool.retain(a.subarray(10, 20));
    pool.release(a);
    expect(pool.idleBytes).toBe(0);
    pool.release(a.subarray(10, 20));
    expect(pool.idleBytes).toBe(n * 4);
  });

  it("never takes in arrays it did not hand out, nor small ones", () => {
    const pool = new BufferPool(1 << 30);
    const mine = new Float32Array(n);
    pool.release(mine);
    const small = pool.take(16);
    pool.retain(small);
    pool.release(small);
    expect(pool.idleBytes).toBe(0);
    expect(pool.owns(mine) || pool.owns(small)).toBe(false);
  });
});

describe.skipIf(unavailable !== undefined)(suite("the native backend's output pool"), () => {
  it("reuses a freed kernel output, and hands out copies on reads", async () => {
    await runOn("native", () => {
      const x = tf.fill([n], 2);
      const first = tf.add(x, x);
      const buffer = storage(first).buffer;
      const read = first.dataSync() as Float32Array;
      expect(read.buffer).not.toBe(buffer); // a copy: the reader keeps it after the tensor is gone
      first.dispose();
      const second = tf.mul(x, x);
      expect(storage(second).buffer).toBe(buffer);
      expect(same(read, new Float32Array(n).fill(4))).toBe(true);
      expect(same(second.dataSync() as Float32Array, new Float32Array(n).fill(4))).toBe(true);
      return [x, second];
    });
  });

  it("keeps a buffer while a view of it lives, and never reuses a user's array", async () => {
    await runOn("native", () => {
      const x = tf.fill([2, n], 3);
      const big = tf.add(x, x); // pooled, [2, n] of 6
      const view = tf.slice(big, [1, 0], [1, n]); // contiguous: stored as a view of big's buffer
      big.dispose();
      const others = [0, 1, 2].map(() => tf.mul(x, 5)); // same length as big: must not take its buffer
      expect(same(view.dataSync() as Float32Array, new Float32Array(n).fill(6))).toBe(true);
      const user = new Float32Array(2 * n).fill(7);
      tf.tensor(user, [2, n]).dispose();
      const after = tf.sub(x, x);
      expect(storage(after).buffer).not.toBe(user.buffer);
      expect(same(user, new Float32Array(2 * n).fill(7))).toBe(true);
      return [x, view, after, ...others];
    });
  });
});
