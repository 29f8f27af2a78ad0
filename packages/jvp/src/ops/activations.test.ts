import { FusedKernel, fusedKernelAvailable, Rng, randomNormal, type Tensor, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { expectFusedAgreesWithComposite } from "../fused-agreement.test-util.js";
import { jvp } from "../jvp.js";
import { describeJvpCases } from "../jvp-cases.test-util.js";
import { jvpReport, jvpTolerances, relativeError } from "../testing/index.js";
import { activationPrimitives, gelu, silu } from "./activations.js";
import { mul } from "./arithmetic.js";
import { sigmoid } from "./unary.js";

const rng = Rng.seeded(19);
const x = randomNormal(rng, [3, 5], 2);

describe.each([
  ["silu", silu],
  ["gelu", gelu],
])("%s", (_name, fn) => {
  it("matches central finite differences and the dot-product identity, leaking nothing", () => {
    const r = jvpReport(fn, [x], rng);
    // Tolerances and their reasons: `jvpTolerances`.
    expect(r.finiteDifference).toBeLessThan(jvpTolerances.finiteDifference);
    expect(r.dotProduct).toBeLessThan(jvpTolerances.dotProduct);
    expect(r.leaked).toBe(0);
  });
});

describe("silu", () => {
  it("has derivative σ(x)(1 + x(1 − σ(x))), 0.5 at x = 0", () => {
    const v = tf.tensor1d([0, 2]);
    const [y, t] = jvp(silu, [v], [tf.onesLike(v)]);
    const s = 1 / (1 + Math.exp(-2));
    const d = t.dataSync();
    // Closed form in float64 against float32 arithmetic: 1e-6.
    expect(d[0]).toBeCloseTo(0.5, 6);
    expect(Math.abs(d[1]! - s * (1 + 2 * (1 - s)))).toBeLessThan(1e-6);
    tf.dispose([v, y, t]);
  });
});

describe("gelu", () => {
  it("has value x·Φ(x) and derivative Φ(x) + x·φ(x): 0.5 at 0, Φ(1) + φ(1) at 1", () => {
    const v = tf.tensor1d([0, 1]);
    const [y, t] = jvp(gelu, [v], [tf.onesLike(v)]);
    const phi1 = Math.exp(-0.5) / Math.sqrt(2 * Math.PI);
    const Phi1 = 0.8413447460685429; // Φ(1)
    // float32 erf is accurate to ~1e-7.
    expect(Math.abs(y.dataSync()[1]! - Phi1)).toBeLessThan(1e-6);
    expect(Math.abs(t.dataSync()[0]! - 0.5)).toBeLessThan(1e-6);
    expect(Math.abs(t.dataSync()[1]! - (Phi1 + phi1))).toBeLessThan(1e-6);
    tf.dispose([v, y, t]);
  });
});

describe("silu", () => {
  it("agrees with the composite x·σ(x) in value and JVP (its hand rule against composition)", () => {
    const t = randomNormal(rng, x.shape);
    const [y, dy] = jvp(silu, [x], [t]);
    const [yc, dyc] = jvp((a) => mul(a, sigmoid(a)), [x], [t]);
    // Same products regrouped: float32 rounding ~1e-7 relative.
    expect(relativeError(y, yc)).toBeLessThan(1e-6);
    expect(relativeError(dy, dyc)).toBeLessThan(1e-6);
    tf.dispose([t, y, dy, yc, dyc]);
  });
});

// On a backend with the fused kernels (native: SCM_BACKEND=native) the primal, its gradient and the
// base-level JVP run them; nested JVPs and reverse mode over a JVP keep the composed rule. Elsewhere
// the composed code runs unchanged, and this suite skips.
describe.skipIf(!fusedKernelAvailable(FusedKernel.silu))("silu with fused kernels", () => {
  const fc = (a: Tensor) => mul(a, sigmoid(a));

  it("runs the fused kernels in the primal, tf.grad and the JVP", async () => {
    const t = randomNormal(rng, x.shape);
    const names = async (fn: () => Tensor | Tensor[]) => (await tf.profile(fn)).kernelNames;
    expect(await names(() => silu(x))).toContain(FusedKernel.silu);
    expect(await names(() => tf.grad((a: Tensor) => tf.sum(silu(a)))(x))).toContain(FusedKernel.siluGrad);
    expect(await names(() => jvp(silu, [x], [t]))).toContain(FusedKernel.siluGrad);
    t.dispose();
  });

  it("agrees with the composite in gradient, nested JVP and reverse mode over the JVP, leaking nothing", () => {
    // The addon's expf against Math.exp, products regrouped: a few float32 ulps.
    expectFusedAgreesWithComposite(silu, fc, x, rng);
  });
});

// Last, so that the draws above are as they were: the table's check over silu (gelu is a composite).
describeJvpCases([["silu", silu, [x]]], rng, activationPrimitives);
