import { FusedKernel, fusedKernelAvailable, Rng, randomNormal, type Tensor, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { expectFusedAgreesWithComposite } from "../fused-agreement.test-util.js";
import { jvp } from "../jvp.js";
import { describeJvpCases, type JvpCase } from "../jvp-cases.test-util.js";
import { relativeError } from "../testing/index.js";
import {
  groupNorm,
  layerNorm,
  moments,
  normPrimitives,
  pixelNorm,
  standardize,
  standardizeComposite,
} from "./norms.js";

const rng = Rng.seeded(18);
const x = randomNormal(rng, [2, 3, 3, 4], 1, 0.5); // [B, H, W, C]
const v = randomNormal(rng, [2, 6]);

// Tolerances and their reasons: `jvpTolerances`.
const cases: JvpCase[] = [
  ["moments", (a) => moments(a, [1, 2]), [x]],
  ["moments, keepDims", (a) => moments(a, -1, true), [x]],
  ["groupNorm, 2 groups", (a) => groupNorm(a, 2), [x]],
  ["groupNorm, one channel per group", (a) => groupNorm(a, 4, 1e-3), [x]],
  ["layerNorm", (a) => layerNorm(a), [x]],
  ["pixelNorm", (a) => pixelNorm(a), [v]],
];

describeJvpCases(cases, rng, normPrimitives);

describe("moments", () => {
  it("gives tf.moments' mean and variance", () => {
    const ours = moments(x, [1, 2, 3]);
    const ref = tf.moments(x, [1, 2, 3]);
    // Same reductions, different summation order: float32 rounding of a 36-term mean.
    expect(relativeError(ours.mean, ref.mean)).toBeLessThan(1e-5);
    expect(relativeError(ours.variance, ref.variance)).toBeLessThan(1e-5);
    tf.dispose([ours.mean, ours.variance, ref.mean, ref.variance]);
  });
});

describe("groupNorm", () => {
  it("gives each sample and group zero mean and unit variance", () => {
    const y = groupNorm(x, 2, 0);
    const grouped = tf.reshape(y, [2, 3, 3, 2, 2]);
    const { mean, variance } = tf.moments(grouped, [1, 2, 4]);
    // Standardised with ε = 0: mean 0 and variance 1 up to float32 rounding (~1e-6).
    expect(Math.max(...Array.from(mean.dataSync()).map(Math.abs))).toBeLessThan(1e-5);
    expect(Math.max(...Array.from(variance.dataSync()).map((s) => Math.abs(s - 1)))).toBeLessThan(1e-5);
    tf.dispose([y, grouped, mean, variance]);
  });

  it("has a zero tangent along a per-group shift (normalisation removes it)", () => {
    const shift = tf.ones(x.shape);
    const [y, t] = jvp((a) => groupNorm(a, 2), [x], [shift]);
    // d/dc groupNorm(x + c) = 0; float32 cancellation leaves ~1e-6.
    expect(Math.max(...Array.from(t.dataSync()).map(Math.abs))).toBeLessThan(1e-5);
    tf.dispose([shift, y, t]);
  });

  it("rejects a channel count not divisible by the groups", () => {
    expect(() => groupNorm(x, 3)).toThrow(
      /groupNorm's x has shape \[2, 3, 3, 4\]; expected a channel count divisible by groups = 3/,
    );
  });
});

describe("pixelNorm", () => {
  it("gives rows of mean square 1 (paper §4.1 pnorm)", () => {
    const y = pixelNorm(v, 0);
    const ms = tf.mean(tf.square(y), -1);
    // v/√mean(v²) has mean square exactly 1 up to float32 rounding.
    expect(Math.max(...Array.from(ms.dataSync()).map((s) => Math.abs(s - 1)))).toBeLessThan(1e-6);
    tf.dispose([y, ms]);
  });
});

describe("standardize", () => {
  it("agrees with its composite form in value and JVP (its hand rule against composition)", () => {
    const t = randomNormal(rng, x.shape);
    const [y, dy] = jvp((a) => standardize(a, [1, 2, 3], 1e-3), [x], [t]);
    const [yc, dyc] = jvp((a) => standardizeComposite(a, [1, 2, 3], 1e-3), [x], [t]);
    // Same statistics, regrouped arithmetic: float32 rounding ~1e-7 relative.
    expect(relativeError(y, yc)).toBeLessThan(1e-6);
    expect(relativeError(dy, dyc)).toBeLessThan(1e-6);
    tf.dispose([t, y, dy, yc, dyc]);
  });
});

// On a backend with the fused kernels (native: SCM_BACKEND=native) the primal, its gradient and the
// base-level JVP run them; nested JVPs and reverse mode over a JVP keep the composed rule. Elsewhere
// the composed code runs unchanged, and this suite skips.
describe.skipIf(!fusedKernelAvailable(FusedKernel.standardize))("standardize with fused kernels", () => {
  const grouped = tf.reshape(x, [2, 3, 3, 2, 2]);
  const axis = [1, 2, 4];
  const f = (a: Tensor) => standardize(a, axis, 1e-5);
  const fc = (a: Tensor) => standardizeComposite(a, axis, 1e-5);

  it("runs the fused kernels in the primal, tf.grad and the JVP", async () => {
    const t = randomNormal(rng, grouped.shape);
    const names = async (fn: () => Tensor | Tensor[]) => (await tf.profile(fn)).kernelNames;
    expect(await names(() => f(grouped))).toContain(FusedKernel.standardize);
    expect(await names(() => tf.grad((a: Tensor) => tf.sum(f(a)))(grouped))).toContain(
      FusedKernel.standardizeGrad,
    );
    expect(await names(() => jvp(f, [grouped], [t]))).toContain(FusedKernel.standardizeGrad);
    t.dispose();
  });

  it("agrees with the composite in gradient, nested JVP and reverse mode over the JVP, leaking nothing", () => {
    // float64 statistics (fused) against float32 passes: ~1e-7 relative, well inside these bounds.
    expectFusedAgreesWithComposite(f, fc, grouped, rng);
  });
});
