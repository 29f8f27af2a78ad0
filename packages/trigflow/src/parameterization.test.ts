import { Rng, randomNormal, tf } from "@scm/backend";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { describe, expect, it } from "vitest";
import { TrigflowRangeError, TrigflowShapeError } from "./errors.js";
import { forwardProcess, velocityTarget } from "./forward.js";
import {
  consistencyFunction,
  denoiserFromF,
  fFromEdmDenoiser,
  noiseFromF,
  scoreFromF,
  velocityFromEdmDenoiser,
} from "./parameterization.js";
import type { VelocityFn } from "./samplers/types.js";
import { gaussianOracle } from "./testing/gaussian-oracle.js";
import { maxRelativeError } from "./testing/stats.js";

const sigmaData = 0.5;
const oracle = gaussianOracle(0.8, sigmaData); // docs/math.md §7
// float32 arithmetic through a handful of kernels: a few ulps of 6e-8.
const F32 = 2e-6;
const ts = [0.05, 0.4, 0.9, 1.3, 1.55];
keepTensorCount(() => tf.memory().numTensors);

// A batch [5, 2, 3] with per-sample times, x_t from the forward process, and its exact velocity.
function noisyBatch(seed: number) {
  const rng = Rng.seeded(seed);
  const x0 = randomNormal(rng, [5, 2, 3], 0.8);
  const z = randomNormal(rng, [5, 2, 3], sigmaData);
  const t = tf.tensor1d(ts);
  const xT = forwardProcess(x0, z, t);
  const v = velocityTarget(x0, z, t);
  const F = tf.div(v, sigmaData); // the network that predicts v_t exactly: σ_d·F = v_t
  v.dispose();
  return { x0, z, t, xT, F, dispose: () => tf.dispose([x0, z, t, xT, F]) };
}

// The oracle's network at x_t: F(x_t/σ_d, t).
function oracleF(velocity: VelocityFn, xT: tf.Tensor, t: tf.Tensor): tf.Tensor {
  return tf.tidy(() => velocity(tf.div(xT, sigmaData), t));
}

// A per-sample closed form c(t_i)·x_i as a tensor shaped like x [5, 2, 3].
function perSample(x: tf.Tensor, c: (t: number) => number): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.tensor(ts.map(c), [ts.length, 1, 1])));
}

describe("denoiserFromF", () => {
  it("is the consistency function itself (App. B's D and Eq. 5's f are one formula)", () => {
    expect(denoiserFromF).toBe(consistencyFunction);
  });

  it("recovers x0 from x_t and the exact velocity (App. B: cos t·x_t − sin t·v_t = x0)", () => {
    const b = noisyBatch(1);
    const d = denoiserFromF(b.xT, b.F, b.t, sigmaData);
    expect(maxRelativeError(d, b.x0)).toBeLessThan(F32);
    d.dispose();
    b.dispose();
  });

  it("is E[x0 | x_t] = s²·cos t/V(t)·x_t for the oracle's F* (docs/math.md §7)", () => {
    const b = noisyBatch(2);
    const F = oracleF(oracle.velocity, b.xT, b.t);
    const d = denoiserFromF(b.xT, F, b.t, sigmaData);
    const expected = perSample(b.xT, (t) => (0.64 * Math.cos(t)) / oracle.variance(t));
    expect(maxRelativeError(d, expected)).toBeLessThan(F32);
    tf.dispose([F, d, expected]);
    b.dispose();
  });

  it("rejects a prediction of another shape and NaN in it", () => {
    const b = noisyBatch(3);
    const wrong = tf.zeros([5, 3, 2]);
    expect(() => denoiserFromF(b.xT, wrong, b.t, sigmaData)).toThrow(
      new TrigflowShapeError("F", [5, 3, 2], "[5, 2, 3], the shape of xT"),
    );
    const nan = tf.fill([5, 2, 3], Number.NaN);
    expect(() => denoiserFromF(b.xT, nan, b.t, sigmaData)).toThrow(/^F contains NaN or infinite values/);
    expect(() => denoiserFromF(b.xT, b.F, b.t, 0)).toThrow(TrigflowRangeError);
    tf.dispose([wrong, nan]);
    b.dispose();
  });
});

describe("noiseFromF", () => {
  it("recovers z from x_t and the exact velocity (App. B: sin t·x_t + cos t·v_t = z)", () => {
    const b = noisyBatch(4);
    const eps = noiseFromF(b.xT, b.F, b.t, sigmaData);
    expect(maxRelativeError(eps, b.z)).toBeLessThan(F32);
    eps.dispose();
    b.dispose();
  });
});

describe("scoreFromF", () => {
  it("is −x_t/V(t) for the oracle's F* (docs/math.md §7)", () => {
    const b = noisyBatch(5);
    const F = oracleF(oracle.velocity, b.xT, b.t);
    const score = scoreFromF(b.xT, F, b.t, sigmaData);
    const expected = oracle.score(b.xT, b.t);
    const closedForm = perSample(b.xT, (t) => -1 / oracle.variance(t));
    expect(maxRelativeError(score, expected)).toBeLessThan(F32);
    expect(maxRelativeError(expected, closedForm)).toBeLessThan(F32);
    tf.dispose([F, score, expected, closedForm]);
    b.dispose();
  });

  it("rejects t = 0, where the score is not determined by F", () => {
    const x = tf.ones([2, 2]);
    expect(() => scoreFromF(x, x, 0, sigmaData)).toThrow(/^t is 0; expected a value in \(0, π\/2\]\.$/);
    x.dispose();
  });
});

describe("consistencyFunction", () => {
  it("is the identity at t = 0 whatever F is (Eq. 5: f(x, 0) = x)", () => {
    const rng = Rng.seeded(6);
    const [x, F] = [randomNormal(rng, [3, 4]), randomNormal(rng, [3, 4], 100)];
    const t = tf.tensor1d([0, 0.7, 0]);
    const f = consistencyFunction(x, F, t, sigmaData);
    const [fRows, xRows] = [f.gather([0, 2]), x.gather([0, 2])];
    expect(maxRelativeError(fRows, xRows)).toBe(0); // cos 0 = 1 and sin 0 = 0 exactly
    const f0 = consistencyFunction(x, F, 0, sigmaData);
    expect(maxRelativeError(f0, x)).toBe(0);
    tf.dispose([x, F, t, f, fRows, xRows, f0]);
  });

  it("is f*(x_t, t) = s·x_t/√V(t) with the oracle's F_cm (docs/math.md §7)", () => {
    const b = noisyBatch(7);
    const F = oracleF(oracle.consistencyVelocity, b.xT, b.t);
    const f = consistencyFunction(b.xT, F, b.t, sigmaData);
    const expected = perSample(b.xT, (t) => 0.8 / Math.sqrt(oracle.variance(t)));
    expect(maxRelativeError(f, expected)).toBeLessThan(F32);
    tf.dispose([F, f, expected]);
    b.dispose();
  });
});

describe("fFromEdmDenoiser", () => {
  it("turns the oracle's EDM denoiser into its F* (Eq. 30)", () => {
    const b = noisyBatch(8);
    const [xSigma, sigma] = tf.tidy(() => [
      tf.div(b.xT, tf.cos(b.t).reshape([5, 1, 1])), // x_σ = x_t/cos t
      tf.mul(tf.tan(b.t), sigmaData), // σ = σ_d·tan t
    ]);
    const D = oracle.edmDenoiser(xSigma, sigma);
    const F = fFromEdmDenoiser(b.xT, D, b.t, sigmaData);
    const expected = perSample(b.xT, (t) => oracle.k(t) / sigmaData); // F*(x_t/σ_d) = k(t)·x_t/σ_d
    // x_σ = x_t/cos t at t = 1.55 amplifies float32 rounding by 1/cos t ≈ 48 before D subtracts it back.
    expect(maxRelativeError(F, expected)).toBeLessThan(50 * F32);
    tf.dispose([xSigma, sigma, D, F, expected]);
    b.dispose();
  });
});

describe("velocityFromEdmDenoiser", () => {
  it("is the oracle's F* when given the oracle's EDM denoiser (Eq. 30)", () => {
    const b = noisyBatch(9);
    const velocity = velocityFromEdmDenoiser(oracle.edmDenoiser, sigmaData);
    const y = tf.div(b.xT, sigmaData);
    const [got, expected] = [velocity(y, b.t), oracle.velocity(y, b.t)];
    expect(maxRelativeError(got, expected)).toBeLessThan(50 * F32); // as above: 1/cos t ≈ 48
    tf.dispose([y, got, expected]);
    b.dispose();
  });

  it("rejects t = π/2, where x_σ = x_t/cos t is undefined", () => {
    const velocity = velocityFromEdmDenoiser(oracle.edmDenoiser, sigmaData);
    const [y, t] = [tf.ones([2, 3]), tf.fill([2], Math.PI / 2)];
    expect(() => velocity(y, t)).toThrow(
      /^t contains 1.5707963\d* at index 0; expected values in \(0, π\/2\)\.$/,
    );
    tf.dispose([y, t]);
  });
});
