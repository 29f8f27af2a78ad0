// Shared by the fused-kernel tests of one-input ops (silu, standardize; not built: excluded in
// tsconfig.json): the fused op against its composite in the gradient, a nested JVP and reverse mode
// over the JVP, where the fused rules must hand over to the composed ones, within 1e-5 relative (the
// call site says why that bound holds), leaking nothing.
import { type Rng, randomNormal, type Tensor, tf } from "@scm/backend";
import { expect } from "vitest";
import { jvp } from "./jvp.js";
import { relativeError } from "./testing/index.js";

/** Asserts `fused` and `composite` agree at x in ∇, nested JVP and ∇ over the JVP, with draws from `rng`. */
export function expectFusedAgreesWithComposite(
  fused: (a: Tensor) => Tensor,
  composite: (a: Tensor) => Tensor,
  x: Tensor,
  rng: Rng,
): void {
  const t = randomNormal(rng, x.shape);
  const t2 = randomNormal(rng, x.shape);
  const w = randomNormal(rng, x.shape);
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    const grad = (fn: (a: Tensor) => Tensor) => tf.grad((a: Tensor) => tf.sum(tf.mul(fn(a), w)))(x);
    expect(relativeError(grad(fused), grad(composite))).toBeLessThan(1e-5);
    const second = (fn: (a: Tensor) => Tensor) => jvp((a) => jvp(fn, [a], [t])[1], [x], [t2])[1];
    expect(relativeError(second(fused), second(composite))).toBeLessThan(1e-5);
    const overJvp = (fn: (a: Tensor) => Tensor) =>
      tf.grad((a: Tensor) => tf.sum(tf.mul(jvp(fn, [a], [t])[1], w)))(x);
    expect(relativeError(overJvp(fused), overJvp(composite))).toBeLessThan(1e-5);
  });
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([t, t2, w]);
}
