import { tf } from "@scm/backend";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { describe, expect, it } from "vitest";
import { AdamFamily, resolveOptimizer } from "./optimizer.js";

keepTensorCount(() => tf.memory().numTensors);

/** PyTorch's Adam / RAdam update for one scalar parameter, in float64 (the reference). */
function reference(kind: "adam" | "radam", grads: number[], lr: number, b1: number, b2: number, eps: number) {
  let [theta, m, v] = [1, 0, 0];
  const out: number[] = [];
  grads.forEach((g, i) => {
    const t = i + 1;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const [bc1, bc2] = [1 - b1 ** t, 1 - b2 ** t];
    if (kind === "adam") theta -= ((lr / bc1) * m) / (Math.sqrt(v) / Math.sqrt(bc2) + eps);
    else {
      const rhoInf = 2 / (1 - b2) - 1;
      const rhoT = rhoInf - (2 * t * b2 ** t) / bc2;
      if (rhoT > 5) {
        const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
        theta -= (lr * (m / bc1) * rect * Math.sqrt(bc2)) / (Math.sqrt(v) + eps);
      } else theta -= lr * (m / bc1);
    }
    out.push(theta);
  });
  return out;
}

describe("AdamFamily", () => {
  const grads = [0.5, -1.2, 0.3, 2.0, -0.7, 0.1, 0.9, -0.4, 1.5, -2.5];
  for (const kind of ["adam", "radam"] as const) {
    it(`follows PyTorch's ${kind} update over 10 steps (RAdam's ρ_t crosses 5 at step 6)`, () => {
      const p = tf.tidy(() => tf.variable(tf.scalar(1), true, `opt-${kind}`));
      const opt = new AdamFamily({ p }, { kind });
      const { beta1, beta2, epsilon } = opt.config;
      const expected = reference(kind, grads, 1e-2, beta1, beta2, epsilon);
      grads.forEach((g, i) => {
        tf.tidy(() => opt.apply({ p: tf.scalar(g) }, 1e-2));
        // float32 arithmetic on O(1) values: ~1e-7 relative; 1e-6 absolute covers ten steps.
        expect(Math.abs(p.dataSync()[0]! - expected[i]!)).toBeLessThan(1e-6);
      });
      expect(opt.stepCount).toBe(10);
      opt.dispose();
      p.dispose();
    });
  }

  it("has App. G's defaults: β (0.9, 0.99), ε 1e-11 (Adam) / 1e-8 (RAdam)", () => {
    expect(resolveOptimizer({ kind: "adam" })).toEqual({
      kind: "adam",
      beta1: 0.9,
      beta2: 0.99,
      epsilon: 1e-11,
    });
    expect(resolveOptimizer({ kind: "radam" }).epsilon).toBe(1e-8);
    expect(() => resolveOptimizer({ kind: "sgd" as "adam" })).toThrow(
      /^optimizer.kind is "sgd"; expected "adam" or "radam"\.$/,
    );
  });

  it("leaves a parameter without a gradient untouched", () => {
    const [a, b] = tf.tidy(() => [
      tf.variable(tf.scalar(1), true, "opt-a"),
      tf.variable(tf.scalar(2), true, "opt-b"),
    ]);
    const opt = new AdamFamily({ a, b }, { kind: "adam" });
    tf.tidy(() => opt.apply({ a: tf.scalar(1) }, 0.1));
    expect(b.dataSync()[0]).toBe(2);
    expect(a.dataSync()[0]).toBeCloseTo(0.9, 6); // first Adam step: lr·g/|g| = 0.1
    opt.dispose();
    tf.dispose([a, b]);
  });
});
