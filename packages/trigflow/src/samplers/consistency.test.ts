import { Rng, type Tensor, tf } from "@scm/backend";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { describe, expect, it } from "vitest";
import { tMax } from "../convert.js";
import { TrigflowRangeError } from "../errors.js";
import { consistencyTimes } from "../grids.js";
import { gaussianOracle } from "../testing/gaussian-oracle.js";
import { maxRelativeError, sampleStd } from "../testing/stats.js";
import { sampleConsistency } from "./consistency.js";
import { sampleNoise } from "./noise.js";
import type { VelocityFn } from "./types.js";

const [s, sigmaData] = [0.8, 0.5];
const oracle = gaussianOracle(s, sigmaData);
const n = 20_000;
// float32 through a few kernels per step; the first step's x_t/σ_d and back adds a few ulps.
const F32 = 1e-5;
keepTensorCount(() => tf.memory().numTensors);

// The same sampler with the ideal f*(x_t, t) = s·x_t/√V(t) in closed form (docs/math.md §7) and the same
// re-noising draws: z_j = sampleNoise(rng, n, [], σ_d, { key: j }).
function exactChain(z: Tensor, ts: number[], rng: Rng, first = 0): Tensor {
  return tf.tidy(() => {
    let x = z;
    for (let j = 0; j < ts.length - 1; j++) {
      const x0 = tf.mul(x, s / Math.sqrt(oracle.variance(ts[j]!))); // f*
      if (ts[j + 1] === 0) return x0;
      const fresh = sampleNoise(rng, z.shape[0]!, z.shape.slice(1), sigmaData, { first, key: j + 1 });
      x = tf.add(tf.mul(x0, Math.cos(ts[j + 1]!)), tf.mul(fresh, Math.sin(ts[j + 1]!)));
    }
    return x;
  });
}

describe("sampleConsistency", () => {
  it("is exact in one step with F_cm, up to the cos(t_max) term (~3e-5) of starting from z", () => {
    const rng = Rng.seeded(2);
    const z = sampleNoise(rng, n, [], sigmaData);
    const ts = consistencyTimes(1, sigmaData);
    const { x0, nfe } = sampleConsistency(oracle.consistencyVelocity, z, ts, { sigmaData });
    expect(nfe).toBe(1);
    const expected = exactChain(z, ts, rng); // s·z/√V(t_max)
    expect(maxRelativeError(x0, expected)).toBeLessThan(F32);
    // std(x0)/std(z) = s/√V(t_max); against s/σ_d that is σ_d/√V(t_max) − 1 = −3.05e-5 (§7).
    const ratio = sampleStd(x0) / sampleStd(z) / (s / sigmaData) - 1;
    expect(ratio).toBeCloseTo(sigmaData / Math.sqrt(oracle.variance(tMax(80, sigmaData))) - 1, 6);
    expect(Math.abs(ratio)).toBeLessThan(1e-4);
    // The sample std itself: 4 standard errors of a 20k-sample std (1/√(2n) = 0.5%).
    expect(Math.abs(sampleStd(x0) / s - 1)).toBeLessThan(4 / Math.sqrt(2 * n));
    tf.dispose([z, x0, expected]);
  });

  it("re-noises at t_mid = 1.1 in two steps and stays exact per path with F_cm", () => {
    const rng = Rng.seeded(3);
    const z = sampleNoise(rng, n, [], sigmaData);
    const ts = consistencyTimes(2, sigmaData);
    const { x0, nfe } = sampleConsistency(oracle.consistencyVelocity, z, ts, { sigmaData, rng });
    expect(nfe).toBe(2);
    const expected = exactChain(z, ts, rng);
    expect(maxRelativeError(x0, expected)).toBeLessThan(F32);
    expect(Math.abs(sampleStd(x0) / s - 1)).toBeLessThan(4 / Math.sqrt(2 * n)); // sampling error only
    tf.dispose([z, x0, expected]);
  });

  it("runs N steps over a list of times with NFE = N", () => {
    const rng = Rng.seeded(4);
    const z = sampleNoise(rng, 4096, [2], sigmaData);
    const ts = consistencyTimes([1.3, 0.8, 0.2], sigmaData);
    const { x0, nfe } = sampleConsistency(oracle.consistencyVelocity, z, ts, { sigmaData, rng });
    expect(nfe).toBe(4);
    const expected = exactChain(z, ts, rng);
    expect(maxRelativeError(x0, expected)).toBeLessThan(F32);
    tf.dispose([z, x0, expected]);
  });

  it("gives sample i the same result whatever batch it is drawn in", () => {
    const rng = Rng.seeded(5);
    const ts = consistencyTimes(2, sigmaData);
    const whole = sampleNoise(rng, 6, [3], sigmaData);
    const tail = sampleNoise(rng, 2, [3], sigmaData, { first: 4 });
    const a = sampleConsistency(oracle.consistencyVelocity, whole, ts, { sigmaData, rng });
    const b = sampleConsistency(oracle.consistencyVelocity, tail, ts, { sigmaData, rng, first: 4 });
    const rows = a.x0.slice([4], [2]);
    expect(maxRelativeError(b.x0, rows)).toBe(0); // identical draws, identical float32 arithmetic
    tf.dispose([whole, tail, a.x0, b.x0, rows]);
  });

  it("asks for an Rng before calling the network when it must re-noise", () => {
    let calls = 0;
    const counting: VelocityFn = (y, t) => {
      calls++;
      return oracle.consistencyVelocity(y, t);
    };
    const z = tf.zeros([2, 3]);
    expect(() => sampleConsistency(counting, z, consistencyTimes(2, sigmaData), { sigmaData })).toThrow(
      new TrigflowRangeError(
        "options.rng",
        undefined,
        "an Rng: consistency sampling re-noises between steps",
      ),
    );
    expect(calls).toBe(0);
    z.dispose();
  });
});
