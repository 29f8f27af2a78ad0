import { type Tensor, tf } from "@scm/backend";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { describe, expect, it } from "vitest";
import { gaussianOracle } from "./gaussian-oracle.js";
import { maxRelativeError } from "./stats.js";

const [s, sigmaData] = [0.8, 0.5];
const oracle = gaussianOracle(s, sigmaData);
const ts = [1e-6, 0.05, 0.5, 1.1, 1.5, Math.atan(160)];
keepTensorCount(() => tf.memory().numTensors);

describe("gaussianOracle", () => {
  it("has k(t) = V'(t)/(2V(t)), so dx/dt = k·x keeps x_t/√V(t) constant (central difference)", () => {
    const h = 1e-5;
    for (const t of ts.slice(1)) {
      const dLogSqrtV = (Math.log(oracle.variance(t + h)) - Math.log(oracle.variance(t - h))) / (4 * h);
      // Central difference in float64: h²·|f'''| ≈ 1e-10, rounding 1e-16/h ≈ 1e-11.
      expect(oracle.k(t)).toBeCloseTo(dLogSqrtV, 9);
    }
    expect(oracle.odeMap(1.2, 0)).toBeCloseTo(s / Math.sqrt(oracle.variance(1.2)), 15);
  });

  it("has k_cm(t) = (cos t − s/√V(t))/sin t, finite and → 0 as t → 0", () => {
    for (const t of ts.slice(1)) {
      const direct = (Math.cos(t) - s / Math.sqrt(oracle.variance(t))) / Math.sin(t);
      expect(oracle.kCm(t)).toBeCloseTo(direct, 12); // the 0/0-free rewrite agrees in float64
    }
    expect(Math.abs(oracle.kCm(0))).toBe(0); // sin 0 = 0 in the numerator (the sign is −0)
    // Near 0: k_cm ≈ t·(σ_d² − 2s²)/(2s²) (Taylor expansion of the direct form).
    expect(oracle.kCm(1e-6) / 1e-6).toBeCloseTo((0.25 - 2 * 0.64) / (2 * 0.64), 9);
  });

  it("evaluates F*(y, t) = k(t)·y and F_cm(y, t) = k_cm(t)·y on tensors per sample", () => {
    const y = tf.tensor2d(
      ts.map((_, i) => [1 + i, -2 * i]),
      [ts.length, 2],
    );
    const t = tf.tensor1d(ts);
    const [F, Fcm] = [oracle.velocity(y, t), oracle.consistencyVelocity(y, t)];
    const scaled = (c: (t: number) => number): Tensor =>
      tf.tidy(() =>
        tf.mul(
          y,
          tf.tensor2d(
            ts.map((v) => [c(v)]),
            [ts.length, 1],
          ),
        ),
      );
    const [expected, expectedCm] = [scaled(oracle.k), scaled(oracle.kCm)];
    // float32 kernels on the closed forms: a few ulps; k_cm near 0 has no cancellation in the rewrite.
    expect(maxRelativeError(F, expected)).toBeLessThan(2e-6);
    expect(maxRelativeError(Fcm, expectedCm)).toBeLessThan(2e-6);
    tf.dispose([y, t, F, Fcm, expected, expectedCm]);
  });

  it("has the EDM denoiser s²/(s² + σ²)·x_σ, the posterior mean of x0 given x0 + σ·n", () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const sigma = tf.tensor1d([0, 0.8]);
    const D = oracle.edmDenoiser(x, sigma);
    expect(maxRelativeError(D, [1, 2, 1.5, 2])).toBeLessThan(1e-7); // σ = 0: x; σ = s: x/2
    tf.dispose([x, sigma, D]);
  });

  it("rejects s ≤ 0", () => {
    expect(() => gaussianOracle(0, 0.5)).toThrow(/^s is 0; expected a finite number > 0\.$/);
  });
});
