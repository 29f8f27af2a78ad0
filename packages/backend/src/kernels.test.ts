// The kernels sCM-TS leans on agree between the cpu and wasm backends (where wasm has them).
import { describe, expect, it } from "vitest";
import { backendCandidates } from "./backends.js";
import { Rng } from "./rng.js";
import { tf } from "./tf.js";

async function onBackend(name: string, fn: () => tf.Tensor): Promise<Float32Array> {
  const previous = tf.getBackend();
  await tf.setBackend(name);
  try {
    const out = fn();
    const data = out.dataSync() as Float32Array;
    out.dispose();
    return data;
  } finally {
    await tf.setBackend(previous);
  }
}

describe("cpu and wasm kernels", () => {
  it("agree on matMul, conv2d and group-norm-style moments to float32 rounding", async () => {
    await backendCandidates.find((c) => c.name === "wasm")!.load();
    const rng = Rng.seeded(0);
    const a = Float32Array.from({ length: 2 * 7 * 7 * 3 }, () => rng.normal());
    const w = Float32Array.from({ length: 3 * 3 * 3 * 5 }, () => rng.normal());
    const m = Float32Array.from({ length: 33 * 17 }, () => rng.normal());
    const program = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(a, [2, 7, 7, 3]);
        const y = tf.conv2d(x, tf.tensor4d(w, [3, 3, 3, 5]), 2, "same");
        const { mean, variance } = tf.moments(y, [1, 2, 3], true);
        const mm = tf.matMul(tf.tensor2d(m, [33, 17]), tf.tensor2d(m, [33, 17]), true, false);
        return tf.concat([y.flatten(), mean.flatten(), variance.flatten(), mm.flatten()]);
      });
    const cpu = await onBackend("cpu", program);
    const wasm = await onBackend("wasm", program);
    expect(wasm.length).toBe(cpu.length);
    // Sums of ≤ 33 products of unit normals: |error| ≲ 33·2^-24·|terms| ≈ 1e-5; allow 1e-4 absolute.
    let worst = 0;
    for (let i = 0; i < cpu.length; i++) worst = Math.max(worst, Math.abs(cpu[i]! - wasm[i]!));
    expect(worst).toBeLessThan(1e-4);
  });
});
