import { describe, expect, it } from "vitest";
import { gemmFlops, gemmKernelNames } from "./gemm-flops.js";
import { missingKernels } from "./init-backend.js";
import { tf } from "./tf.js";

/** The GEMM FLOPs tf.profile's records of `fn` add up to. */
async function profiledFlops(fn: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  const { kernels, result } = await tf.profile(() => tf.tidy(fn) as tf.Tensor);
  tf.dispose(result as tf.Tensor);
  return kernels.reduce((s, k) => s + gemmFlops(k), 0);
}

describe("gemmFlops", () => {
  it("counts a strided, padded conv and its input gradient as 2·positions·window", async () => {
    // x [2, 9, 7, 3], filter [3, 3, 3, 5], stride 2, 'same': dy [2, 5, 4, 5].
    const x = tf.randomNormal([2, 9, 7, 3]) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 5]) as tf.Tensor4D;
    const positions = 2 * 5 * 4;
    const window = 3 * 3 * 3 * 5;
    expect(await profiledFlops(() => tf.conv2d(x, w, 2, "same"))).toBe(2 * positions * window);
    const dy = tf.randomNormal([2, 5, 4, 5]) as tf.Tensor4D;
    expect(await profiledFlops(() => tf.conv2dTranspose(dy, w, [2, 9, 7, 3], 2, "same"))).toBe(
      2 * positions * window,
    );
    tf.dispose([x, w, dy]);
  });

  // tfjs's wasm backend has no Conv2DBackpropFilter; the cpu run (CI) covers the record's layout.
  it.skipIf(missingKernels(["Conv2DBackpropFilter"]).length > 0)(
    "counts the filter gradient alike",
    async () => {
      const x = tf.randomNormal([2, 9, 7, 3]) as tf.Tensor4D;
      const w = tf.randomNormal([3, 3, 3, 5]) as tf.Tensor4D;
      const grad = tf.grad((f: tf.Tensor) => tf.sum(tf.conv2d(x, f as tf.Tensor4D, 2, "same")));
      // The forward conv plus Conv2DBackpropFilter: 2·positions·window each.
      expect(await profiledFlops(() => grad(w))).toBe(4 * (2 * 5 * 4) * (3 * 3 * 3 * 5));
      tf.dispose([x, w]);
    },
  );

  it("finds K of a batched matmul with either operand transposed", async () => {
    const a = tf.randomNormal([4, 6, 5]); // [batch, M=6, K=5]
    const b = tf.randomNormal([4, 5, 7]); // [batch, K=5, N=7]
    const at = tf.randomNormal([4, 5, 6]); // transposed a: [batch, K, M]
    const expected = 2 * 4 * 6 * 7 * 5;
    expect(await profiledFlops(() => tf.matMul(a, b))).toBe(expected);
    expect(await profiledFlops(() => tf.matMul(at, b, true, false))).toBe(expected);
    tf.dispose([a, b, at]);
  });

  it("gives 0 for every other kernel", async () => {
    const a = tf.randomNormal([3, 4]);
    expect(await profiledFlops(() => tf.add(tf.mul(a, a), tf.exp(a)))).toBe(0);
    expect(gemmKernelNames.has("Multiply")).toBe(false);
    a.dispose();
  });
});
