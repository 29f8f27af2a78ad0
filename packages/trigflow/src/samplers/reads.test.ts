// The samplers' device reads: one per call for the caller's noise (checked for NaN/±Infinity), however
// many steps and network calls, and none for noise `sampleNoise` drew; the same bits either way.
import { Rng, type Tensor, tf } from "@scm/backend";
import { countReads } from "@scm/backend/testing/count-reads";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { describe, expect, it } from "vitest";
import { TrigflowRangeError } from "../errors.js";
import { consistencyTimes, edmTimeGrid } from "../grids.js";
import { sampleNoise } from "./noise.js";
import { type SamplerName, samplers } from "./table.js";
import type { StepInfo, VelocityFn } from "./types.js";

keepTensorCount(() => tf.memory().numTensors);

const sigmaData = 0.5;
// A nonlinear network that reads nothing (the Gaussian oracle checks its t, a read), so the counts are
// the sampler's own: F = tanh(y + sin t) per sample.
const net: VelocityFn = (y, t) => tf.tanh(tf.add(y, tf.reshape(tf.sin(t), [-1, 1, 1, 1])));
const cases: [string, SamplerName, number[], number][] = [
  ["consistency, 1 step", "consistency", consistencyTimes(1, sigmaData), 1],
  ["consistency, 2 steps", "consistency", consistencyTimes([1.1], sigmaData), 2],
  ["consistency, 6 steps", "consistency", consistencyTimes([1.1, 0.9, 0.7, 0.5, 0.3], sigmaData), 6],
  ["ddim, 6 steps", "ddim", edmTimeGrid(6, sigmaData), 6],
  ["heun, 6 steps", "heun", edmTimeGrid(6, sigmaData), 11],
  ["dpm2, 6 steps", "dpm2", edmTimeGrid(6, sigmaData), 11],
];

describe.each(cases)("%s", (_, name, ts, nfe) => {
  const bits = (x: Tensor) => Array.from(new Uint32Array(new Float32Array(x.dataSync()).buffer));

  it.each([false, true])(
    "reads once (the noise check) for the caller's noise, nothing for sampleNoise's, with the same bits (onStep: %s)",
    (withOnStep) => {
      const z = sampleNoise(Rng.seeded(2), 4, [3, 3, 1], sigmaData);
      const callers = z.clone(); // the same values, but a tensor sampleNoise did not return
      const run = (noise: Tensor) => {
        const denoised: Tensor[] = [];
        const onStep = withOnStep ? (info: StepInfo) => void denoised.push(info.denoised.clone()) : undefined;
        const counted = countReads(() =>
          samplers[name](net, noise, ts, { sigmaData, rng: Rng.seeded(5), onStep }),
        );
        return { ...counted, denoised };
      };
      const checked = run(callers);
      const unchecked = run(z);
      expect(checked.value.nfe).toBe(nfe); // the counts cover every network call of the grid
      expect([checked.sync, checked.async]).toEqual([1, 0]);
      expect([unchecked.sync, unchecked.async]).toEqual([0, 0]);
      // Exact equality: the check only reads; the loop runs the same kernels in the same order.
      expect(bits(unchecked.value.x0)).toEqual(bits(checked.value.x0));
      expect(unchecked.denoised.map(bits)).toEqual(checked.denoised.map(bits));
      expect(checked.denoised).toHaveLength(withOnStep ? ts.length - 1 : 0);
      tf.dispose([
        z,
        callers,
        checked.value.x0,
        unchecked.value.x0,
        ...checked.denoised,
        ...unchecked.denoised,
      ]);
    },
  );

  it("still rejects NaN noise from the caller, in that one read", () => {
    const z = tf.tensor4d([1, Number.NaN, 0, 0], [1, 2, 2, 1]);
    const counted = countReads(() => {
      try {
        samplers[name](net, z, ts, { sigmaData, rng: Rng.seeded(5) });
      } catch (e) {
        return e;
      }
    });
    expect(counted.value).toBeInstanceOf(TrigflowRangeError);
    expect((counted.value as Error).message).toMatch(/^noise contains NaN or infinite values/);
    expect(counted.sync).toBe(1);
    z.dispose();
  });
});
