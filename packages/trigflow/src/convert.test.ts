import { Rng, randomNormal, tf } from "@scm/backend";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { describe, expect, it } from "vitest";
import {
  rfTimeToT,
  sigmaToT,
  tMax,
  tToRfTime,
  tToSigma,
  xRfToXT,
  xSigmaToXT,
  xTToXRf,
  xTToXSigma,
} from "./convert.js";
import { TrigflowRangeError } from "./errors.js";
import { forwardProcess } from "./forward.js";
import { maxRelativeError } from "./testing/stats.js";

const sigmaData = 0.5;
// float32 tensors: a few ulps of 6e-8 through two transcendental kernels.
const F32 = 2e-6;
const times = [0, 1e-4, 0.3, Math.PI / 4, 1.1, 1.5, tMax(80, 0.5)];
keepTensorCount(() => tf.memory().numTensors);

describe("tToSigma / sigmaToT", () => {
  it("round-trip numbers both ways", () => {
    for (const t of times) expect(sigmaToT(tToSigma(t, sigmaData), sigmaData)).toBeCloseTo(t, 12);
    for (const sigma of [0, 0.002, 0.5, 1, 80, 1e4]) {
      const back = tToSigma(sigmaToT(sigma, sigmaData), sigmaData);
      // tan near π/2 amplifies the ulp of t by tan t = σ/σ_d: relative error ≲ 1e-15·(1 + σ/σ_d).
      expect(Math.abs(back - sigma)).toBeLessThanOrEqual(
        1e-15 * (1 + sigma / sigmaData) * Math.max(sigma, 1),
      );
    }
  });

  it("maps σ = σ_d to t = π/4 and σ = ∞ to π/2 (Eq. 30)", () => {
    expect(sigmaToT(sigmaData, sigmaData)).toBe(Math.PI / 4); // arctan(1)
    expect(sigmaToT(Number.POSITIVE_INFINITY, sigmaData)).toBe(Math.PI / 2);
    expect(tToSigma(Math.PI / 4, sigmaData)).toBeCloseTo(sigmaData, 15); // σ_d·tan(π/4)
  });

  it("round-trips tensors element by element", () => {
    const t = tf.tensor1d([0, 0.3, 1.1, 1.5]);
    const sigma = tToSigma(t, sigmaData);
    const back = sigmaToT(sigma, sigmaData);
    expect(maxRelativeError(back, t)).toBeLessThan(F32);
    const expected = [0, 0.3, 1.1, 1.5].map((v) => sigmaData * Math.tan(v));
    expect(maxRelativeError(sigma, expected)).toBeLessThan(F32 * 10); // tan(1.5) = 14: κ = 2t/sin 2t ≈ 11
    tf.dispose([t, sigma, back]);
  });

  it("rejects σ < 0, NaN, t outside [0, π/2] and σ_d ≤ 0", () => {
    expect(() => sigmaToT(-1, sigmaData)).toThrow(/^sigma is -1; expected values in \[0, ∞\]\.$/);
    expect(() => sigmaToT(Number.NaN, sigmaData)).toThrow(TrigflowRangeError);
    expect(() => tToSigma(1.6, sigmaData)).toThrow(/^t is 1.6; expected values in \[0, π\/2\]\.$/);
    expect(() => tToSigma(1, 0)).toThrow(/^sigmaData is 0; expected a finite number > 0\.$/);
    expect(() => tToSigma(1, -0.5)).toThrow(TrigflowRangeError);
    const bad = tf.tensor1d([1, Number.NaN]);
    expect(() => tToSigma(bad, sigmaData)).toThrow(/^t contains NaN at index 1; expected values in/);
    bad.dispose();
  });
});

describe("tMax", () => {
  it("is arctan(σ_max/σ_d) ≈ 1.56454 for σ_max = 80, σ_d = 0.5 (§4 sampling)", () => {
    expect(tMax(80, 0.5)).toBeCloseTo(1.564546, 6); // docs/math.md §4: ≈ 1.56454
    expect(tMax(80, 0.5)).toBe(Math.atan(160));
    expect(() => tMax(0, 0.5)).toThrow(/^sigmaMax is 0; expected a number > 0\.$/);
  });
});

describe("tToRfTime / rfTimeToT", () => {
  it("round-trip numbers and hit s = 0, 1/2, 1 at t = 0, π/4, π/2", () => {
    for (const t of times) expect(rfTimeToT(tToRfTime(t))).toBeCloseTo(t, 12);
    for (const s of [0, 0.01, 0.5, 0.9, 1]) expect(tToRfTime(rfTimeToT(s))).toBeCloseTo(s, 12);
    expect(tToRfTime(0)).toBe(0);
    expect(tToRfTime(Math.PI / 4)).toBeCloseTo(0.5, 15); // sin = cos
    expect(rfTimeToT(1)).toBe(Math.PI / 2); // atan2(1, 0)
  });

  it("round-trips tensors", () => {
    const s = tf.tensor1d([0, 0.25, 0.5, 0.999, 1]);
    const t = rfTimeToT(s);
    const back = tToRfTime(t);
    expect(maxRelativeError(back, s)).toBeLessThan(F32);
    tf.dispose([s, t, back]);
  });

  it("rejects s outside [0, 1]", () => {
    expect(() => rfTimeToT(1.5)).toThrow(/^s is 1.5; expected values in \[0, 1\]\.$/);
  });
});

describe("xSigmaToXT / xTToXSigma", () => {
  it("maps the EDM sample x0 + σ·n to the TrigFlow sample at t = arctan(σ/σ_d) with z = σ_d·n (Eq. 30)", () => {
    const rng = Rng.seeded(7);
    const [x0, n] = [randomNormal(rng, [3, 4], 0.8), randomNormal(rng, [3, 4])];
    const sigma = 2.5;
    const t = sigmaToT(sigma, sigmaData);
    const [xSigma, z] = tf.tidy(() => [tf.add(x0, tf.mul(n, sigma)), tf.mul(n, sigmaData)]);
    const xT = xSigmaToXT(xSigma, t);
    const direct = forwardProcess(x0, z, t); // cos t·x0 + sin t·σ_d·n, and cos t·σ = sin t·σ_d
    expect(maxRelativeError(xT, direct)).toBeLessThan(F32);
    const back = xTToXSigma(xT, t);
    expect(maxRelativeError(back, xSigma)).toBeLessThan(F32);
    tf.dispose([x0, n, xSigma, z, xT, direct, back]);
  });

  it("rejects t = π/2 for x_σ = x_t/cos t", () => {
    const x = tf.ones([2, 2]);
    expect(() => xTToXSigma(x, Math.PI / 2)).toThrow(/^t is 1.5707963; expected a value in \[0, π\/2\)\.$/);
    x.dispose();
  });
});

describe("xTToXRf / xRfToXT", () => {
  it("maps the TrigFlow sample to (1 − s)·x0 + s·z at s = tToRfTime(t), per sample", () => {
    const rng = Rng.seeded(8);
    const [x0, z] = [randomNormal(rng, [3, 2, 2, 1], 0.8), randomNormal(rng, [3, 2, 2, 1], sigmaData)];
    const ts = [0.2, Math.PI / 4, 1.4];
    const t = tf.tensor1d(ts);
    const s = tToRfTime(t);
    const xT = forwardProcess(x0, z, t);
    const xRf = xTToXRf(xT, t);
    const expected = tf.tidy(() => {
      const column = s.reshape([3, 1, 1, 1]);
      return tf.add(tf.mul(tf.sub(1, column), x0), tf.mul(column, z)); // rectified flow, App. B
    });
    expect(maxRelativeError(xRf, expected)).toBeLessThan(F32);
    const back = xRfToXT(xRf, t);
    expect(maxRelativeError(back, xT)).toBeLessThan(F32);
    tf.dispose([x0, z, t, s, xT, xRf, expected, back]);
  });
});
