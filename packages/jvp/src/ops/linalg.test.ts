import { Rng, randomNormal, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { jvp } from "../jvp.js";
import { describeJvpCases, type JvpCase } from "../jvp-cases.test-util.js";
import {
  jvpDoubleVjpError,
  jvpFiniteDifferenceError,
  jvpTolerances,
  relativeError,
} from "../testing/index.js";
import { conv2d, conv2dTranspose, depthwiseConv2d, linalgPrimitives, matMul } from "./linalg.js";

const rng = Rng.seeded(16);
const a = randomNormal(rng, [3, 4]);
const b = randomNormal(rng, [4, 5]);
const bT = randomNormal(rng, [5, 4]);
const batchA = randomNormal(rng, [2, 2, 3, 4]); // [B, heads, T, d]
const batchB = randomNormal(rng, [2, 2, 5, 4]);
const x = randomNormal(rng, [2, 6, 6, 3]); // [B, H, W, Cin]
const w = randomNormal(rng, [3, 3, 3, 4], 0.3); // [kH, kW, Cin, Cout]
const wT = randomNormal(rng, [3, 3, 4, 3], 0.3); // [kH, kW, Cout, Cin] for the transpose
const small = randomNormal(rng, [2, 3, 3, 3]);
const wDepth = randomNormal(rng, [3, 3, 3, 2], 0.3); // [kH, kW, C, multiplier]

// Tolerances and their reasons: `jvpTolerances`.
const cases: JvpCase[] = [
  ["matMul", (p, q) => matMul(p, q), [a, b]],
  ["matMul, transposeB", (p, q) => matMul(p, q, false, true), [a, bT]],
  ["matMul, transposeA", (p, q) => matMul(p, q, true, false), [tf.transpose(a), b]],
  ["batched matMul over [B, heads]", (p, q) => matMul(p, q, false, true), [batchA, batchB]],
  ["conv2d, same padding", (p, q) => conv2d(p, q, 1, "same"), [x, w]],
  ["conv2d, stride 2, valid padding", (p, q) => conv2d(p, q, 2, "valid"), [x, w]],
  [
    "conv2d, explicit padding",
    (p, q) =>
      conv2d(p, q, 1, [
        [0, 0],
        [1, 0],
        [2, 1],
        [0, 0],
      ]),
    [x, w],
  ],
  ["conv2dTranspose, stride 2", (p, q) => conv2dTranspose(p, q, [2, 6, 6, 4], 2, "same"), [small, wT]],
  ["depthwiseConv2d", (p, q) => depthwiseConv2d(p, q, 1, "same"), [x, wDepth]],
];

describeJvpCases(cases, rng, linalgPrimitives);

describe("conv2d", () => {
  it("agrees with the double-VJP identity ∇_u⟨Jᵀu, v⟩ in x (tfjs has no second-order filter gradient)", () => {
    const v = [randomNormal(rng, x.shape)];
    // Two float32 routes through the same convolutions: rounding ~1e-6 relative.
    expect(jvpDoubleVjpError((p) => conv2d(p, w, 2, "same"), [x], v)).toBeLessThan(1e-5);
    tf.dispose(v);
  });

  it("matches central finite differences with dilation 2 (tfjs has no reverse mode for it)", () => {
    const fd = jvpFiniteDifferenceError((p, q) => conv2d(p, q, 1, "same", "NHWC", 2), [x, w], { rng });
    // Tolerance and its reason: `jvpTolerances`.
    expect(fd).toBeLessThan(jvpTolerances.finiteDifference);
  });

  it("costs one conv when only x carries a tangent: the tangent is conv(ẋ, W)", () => {
    const t = randomNormal(rng, x.shape);
    const [out, dt] = jvp((p) => conv2d(p, w, 1, "same"), [x], [t]);
    const expected = tf.conv2d(t as tf.Tensor4D, w as tf.Tensor4D, 1, "same");
    // The same kernel on the same inputs: exact.
    expect(relativeError(dt, expected)).toBe(0);
    tf.dispose([t, out, dt, expected]);
  });

  it("rejects a layout other than NHWC", () => {
    expect(() => conv2d(x, w, 1, "same", "NCHW" as "NHWC")).toThrow(/dataFormat is "NCHW"; expected "NHWC"/);
  });
});

describe("matMul", () => {
  it("agrees with the double-VJP identity for batched inputs", () => {
    const v = [randomNormal(rng, batchA.shape), randomNormal(rng, batchB.shape)];
    // Two float32 routes through the same products: rounding ~1e-6 relative.
    expect(jvpDoubleVjpError((p, q) => matMul(p, q, false, true), [batchA, batchB], v)).toBeLessThan(1e-5);
    tf.dispose(v);
  });
});
