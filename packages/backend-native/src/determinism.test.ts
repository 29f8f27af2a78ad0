// The kernels that sum across threads (the conv filter gradient over every pixel, a long reduction
// over few outputs) must give the same bits on every run and for every thread count: a resumed training
// run repeats an uninterrupted one only if each step's gradients do. Threads claim chunks as they come
// free, so any result that depended on which thread summed what would show up here as a bit difference.
import { describe, expect, it } from "vitest";
import { ReduceOp } from "./addon.js";
import { loadNativeAddon } from "./load-addon.js";
import { built, data, same3x3, suite } from "./testing/fixtures.js";

/** `run`'s output under 1, 2 and 3 threads, five times each, as byte strings. */
function outputsAcrossThreads(run: () => Float32Array): Set<string> {
  const addon = loadNativeAddon();
  const before = addon.info().threads;
  const seen = new Set<string>();
  try {
    for (const threads of [1, 2, 3]) {
      addon.setThreads(threads);
      for (let i = 0; i < 5; i++) seen.add(Buffer.from(run().buffer).toString("base64"));
    }
  } finally {
    addon.setThreads(before);
  }
  return seen;
}

describe.skipIf(!built)(suite("kernels that sum across threads"), () => {
  it("give the conv filter gradient bit for bit on any thread count (8×32×32×16 * 3×3×16)", () => {
    // 8,192 output pixels of 144-long patches: five chunks of pixels, so several partial sums.
    const x = data(8 * 32 * 32 * 16, 1);
    const dy = data(8 * 32 * 32 * 24, 2);
    const packed = same3x3(8, 32, 16, 24);
    const seen = outputsAcrossThreads(() => {
      const dw = new Float32Array(3 * 3 * 16 * 24);
      loadNativeAddon().conv2dBackpropFilter(x, dy, dw, packed);
      return dw;
    });
    expect(seen.size).toBe(1);
  });

  it("give a long sum over few outputs bit for bit on any thread count ([3, 200000, 1])", () => {
    // ±1e17 in each row (float32 holds them): float64 sums absorb the small terms added while the big
    // one is in, so how the row is cut and combined shows in every output.
    const x = data(3 * 200_000, 3, 1e3);
    for (let row = 0; row < 3; row++) {
      x[row * 200_000 + 1_000 * (row + 1)] = 1e17;
      x[row * 200_000 + 150_000 - row] = -1e17;
    }
    const seen = outputsAcrossThreads(() => {
      const out = new Float32Array(3);
      loadNativeAddon().reduce(ReduceOp.sum, x, out, 3, 200_000, 1, 1);
      return out;
    });
    expect(seen.size).toBe(1);
  });
});
