import { describe, expect, it } from "vitest";
import { tf } from "../tf.js";
import { countReads, countReadsAsync } from "./count-reads.js";

describe("countReads", () => {
  it("counts dataSync and arraySync as synchronous reads and restores the engine", () => {
    const x = tf.tensor1d([1, 2, 3]);
    const { value, sync, async } = countReads(() => {
      x.dataSync();
      x.arraySync();
      return tf.tidy(() => tf.sum(x).dataSync()[0]);
    });
    expect([value, sync, async]).toEqual([6, 3, 0]);
    expect(Object.hasOwn(tf.engine(), "readSync")).toBe(false);
    expect(countReads(() => x.shape).sync).toBe(0);
    x.dispose();
  });

  it("counts awaited reads and restores the engine when the call throws", async () => {
    const x = tf.tensor1d([4, 5]);
    const { value, sync, async } = await countReadsAsync(async () => Array.from(await x.data()));
    expect([value, sync, async]).toEqual([[4, 5], 0, 1]);
    await expect(
      countReadsAsync(async () => {
        await x.data();
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(Object.hasOwn(tf.engine(), "read")).toBe(false);
    expect((await countReadsAsync(() => 1)).async).toBe(0);
    x.dispose();
  });
});
