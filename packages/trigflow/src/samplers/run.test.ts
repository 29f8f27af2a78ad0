// Behaviour every sampler shares through the common loop: the callback's inputs, onStep, NFE,
// ownership and errors.
import { Rng, type Tensor, tf } from "@scm/backend";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { describe, expect, it } from "vitest";
import { TrigflowRangeError, TrigflowShapeError } from "../errors.js";
import { edmTimeGrid } from "../grids.js";
import { gaussianOracle } from "../testing/gaussian-oracle.js";
import { maxRelativeError } from "../testing/stats.js";
import { sampleNoise } from "./noise.js";
import { type SamplerName, samplers } from "./table.js";
import type { StepInfo, VelocityFn } from "./types.js";

const sigmaData = 0.5;
const oracle = gaussianOracle(0.8, sigmaData);
const ts = edmTimeGrid(4, sigmaData);
const expectedNfe: Record<SamplerName, number> = { ddim: 4, heun: 7, dpm2: 7, consistency: 4 };
keepTensorCount(() => tf.memory().numTensors);

describe.each(Object.keys(samplers) as SamplerName[])("samplers.%s", (name) => {
  const sampler = samplers[name];
  const options = { sigmaData, rng: Rng.seeded(9) };

  it("calls the network with x/σ_d and t [B], and reports NFE", () => {
    const z = sampleNoise(Rng.seeded(1), 3, [2, 2, 1], sigmaData);
    const seen: { y: Float32Array; t: Float32Array; shape: number[] }[] = [];
    const spy: VelocityFn = (y, t) => {
      seen.push({ y: y.dataSync() as Float32Array, t: t.dataSync() as Float32Array, shape: t.shape });
      return oracle.velocity(y, t);
    };
    const { x0, nfe } = sampler(spy, z, ts, options);
    expect(nfe).toBe(expectedNfe[name]);
    expect(seen).toHaveLength(nfe);
    const first = seen[0]!;
    expect(first.shape).toEqual([3]);
    expect(Array.from(first.t)).toEqual(new Array(3).fill(Math.fround(ts[0]!))); // t broadcast per sample
    const scaled = Array.from(z.dataSync(), (v) => v / sigmaData); // Eq. 3: the input is x_t/σ_d
    expect(maxRelativeError(first.y, scaled)).toBeLessThan(1e-7);
    expect(z.isDisposed).toBe(false); // the caller's noise is never disposed
    tf.dispose([z, x0]);
  });

  it("reports every step, with the denoised estimate s²·cos t/V(t)·x_t of F* (App. B)", () => {
    const z = sampleNoise(Rng.seeded(2), 8, [3], sigmaData);
    const steps: Omit<StepInfo, "x" | "denoised">[] = [];
    let previous: Tensor = z.clone(); // x at the step's start
    let worst = 0;
    const { x0 } = sampler(oracle.velocity, z, ts, {
      ...options,
      onStep: ({ x, denoised, ...rest }) => {
        steps.push(rest);
        const expected = tf.mul(previous, (0.64 * Math.cos(rest.t)) / oracle.variance(rest.t));
        worst = Math.max(worst, maxRelativeError(denoised, expected));
        tf.dispose([expected, previous]);
        previous = x.clone();
      },
    });
    expect(steps.map((st) => [st.step, st.steps, st.t, st.tNext])).toEqual(
      ts.slice(0, -1).map((t, i) => [i, 4, t, ts[i + 1]]),
    );
    expect(steps.at(-1)!.nfe).toBe(expectedNfe[name]);
    // The network sees t in float32: t_max = 1.5645 rounds by up to 6e-8, which moves cos t_max = 6.2e-3
    // (and so F*) by up to 1e-5 relative.
    expect(worst).toBeLessThan(2e-5);
    expect(maxRelativeError(previous, x0)).toBe(0); // the last step's x is the result
    tf.dispose([z, x0, previous]);
  });

  it("rejects a network output of another shape without leaking", () => {
    const z = tf.ones([2, 3]);
    const wrong: VelocityFn = (y) => tf.sum(y, 1);
    expect(() => sampler(wrong, z, ts, options)).toThrow(
      new TrigflowShapeError("the velocity callback's output", [2], "[2, 3], the shape of x"),
    );
    z.dispose();
  });

  it("lets an error in onStep through without leaking", () => {
    const z = tf.ones([2, 3]);
    const boom = () => {
      throw new Error("stop");
    };
    expect(() => sampler(oracle.velocity, z, ts, { ...options, onStep: boom })).toThrow("stop");
    z.dispose();
  });

  it("rejects NaN noise, noise without a batch dimension, a bad grid and σ_d ≤ 0", () => {
    const nan = tf.tensor2d([[0, Number.NaN]]);
    expect(() => sampler(oracle.velocity, nan, ts, options)).toThrow(
      /^noise contains NaN or infinite values; expected finite numbers\.$/,
    );
    const scalar = tf.scalar(1);
    expect(() => sampler(oracle.velocity, scalar, ts, options)).toThrow(
      /^noise has shape \[\]; expected a leading batch dimension \[B, \.\.\.\]\.$/,
    );
    const z = tf.ones([2, 3]);
    expect(() => sampler(oracle.velocity, z, [1.5, 0.5], options)).toThrow(TrigflowRangeError);
    expect(() => sampler(oracle.velocity, z, [0.5, 1.5, 0], options)).toThrow(/^ts is \[0.5, 1.5, 0\]/);
    expect(() => sampler(oracle.velocity, z, ts, { ...options, sigmaData: 0 })).toThrow(/^sigmaData is 0/);
    tf.dispose([nan, scalar, z]);
  });
});
