// The unchecked twins against their reference, the checked public functions: the same bits, and no
// device read where the checked ones read three times (x0, z, t; x_t, F, t).
import { Rng, randomNormal, tf } from "@scm/backend";
import { countReads } from "@scm/backend/testing/count-reads";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { describe, expect, it } from "vitest";
import { forwardProcess, velocityTarget } from "./forward.js";
import { consistencyFunction, denoiserFromF, noiseFromF } from "./parameterization.js";
import {
  consistencyFunctionUnchecked,
  denoiserFromFUnchecked,
  forwardProcessUnchecked,
  noiseFromFUnchecked,
  velocityTargetUnchecked,
} from "./unchecked.js";

keepTensorCount(() => tf.memory().numTensors);

// Each twin, its checked function, and its formula on numbers (§3: x_t; Eq. 4: v_t).
const twins = [
  [
    "forwardProcessUnchecked",
    forwardProcessUnchecked,
    forwardProcess,
    (x: number, z: number, t: number) => Math.cos(t) * x + Math.sin(t) * z,
  ],
  [
    "velocityTargetUnchecked",
    velocityTargetUnchecked,
    velocityTarget,
    (x: number, z: number, t: number) => Math.cos(t) * z - Math.sin(t) * x,
  ],
] as const;

describe.each(twins)("%s", (_, unchecked, checked, formula) => {
  it("gives the checked function's bits for a number t, a [] t and a [B] t, reading nothing", () => {
    const rng = Rng.seeded(11);
    const [x0, z] = [randomNormal(rng, [3, 2, 2, 1], 0.8), randomNormal(rng, [3, 2, 2, 1], 0.5)];
    const times = [0.7, tf.scalar(0.3), tf.tensor1d([0, 0.4, Math.PI / 2])];
    for (const t of times) {
      const fast = countReads(() => unchecked(x0, z, t));
      const slow = countReads(() => checked(x0, z, t));
      expect([fast.sync, slow.sync]).toEqual([0, typeof t === "number" ? 2 : 3]); // x0, z (and t)
      // Exact equality: the checked function is the twin after its checks.
      expect(Array.from(fast.value.dataSync())).toEqual(Array.from(slow.value.dataSync()));
      tf.dispose([fast.value, slow.value]);
    }
    tf.dispose([x0, z, ...times]);
  });

  it("does not check: a NaN in x0 comes out as NaN where the checked function throws", () => {
    const x0 = tf.tensor2d([[Number.NaN, 1]]);
    const z = tf.tensor2d([[0.5, 0.5]]);
    expect(() => checked(x0, z, 0.5)).toThrow(/^x0 contains NaN or infinite values/);
    const out = unchecked(x0, z, 0.5);
    const [first, second] = Array.from(out.dataSync());
    expect(first).toBeNaN();
    expect(second).toBeCloseTo(formula(1, 0.5, 0.5), 6); // the finite element, in float32 (~1e-7)
    tf.dispose([x0, z, out]);
  });
});

// The parameterisation's twins, their checked functions, and their formulas on numbers at σ_d = 0.5
// (App. B: D and ε; Eq. 5: f).
const sigmaData = 0.5;
const predictionTwins = [
  [
    "denoiserFromFUnchecked",
    denoiserFromFUnchecked,
    denoiserFromF,
    (x: number, F: number, t: number) => Math.cos(t) * x - Math.sin(t) * sigmaData * F,
  ],
  [
    "consistencyFunctionUnchecked",
    consistencyFunctionUnchecked,
    consistencyFunction,
    (x: number, F: number, t: number) => Math.cos(t) * x - Math.sin(t) * sigmaData * F,
  ],
  [
    "noiseFromFUnchecked",
    noiseFromFUnchecked,
    noiseFromF,
    (x: number, F: number, t: number) => Math.sin(t) * x + Math.cos(t) * sigmaData * F,
  ],
] as const;

describe.each(predictionTwins)("%s", (_, unchecked, checked, formula) => {
  it("gives the checked function's bits for a number t, a [] t and a [B] t, reading nothing", () => {
    const rng = Rng.seeded(12);
    const [xT, F] = [randomNormal(rng, [3, 2, 2, 1], 0.8), randomNormal(rng, [3, 2, 2, 1], 1)];
    const times = [0.7, tf.scalar(0.3), tf.tensor1d([0, 0.4, Math.PI / 2])];
    for (const t of times) {
      const fast = countReads(() => unchecked(xT, F, t, sigmaData));
      const slow = countReads(() => checked(xT, F, t, sigmaData));
      expect([fast.sync, slow.sync]).toEqual([0, typeof t === "number" ? 2 : 3]); // x_t, F (and t)
      // Exact equality: the checked function is the twin after its checks.
      expect(Array.from(fast.value.dataSync())).toEqual(Array.from(slow.value.dataSync()));
      tf.dispose([fast.value, slow.value]);
    }
    tf.dispose([xT, F, ...times]);
  });

  it("does not check: a NaN in F comes out as NaN where the checked function throws", () => {
    const xT = tf.tensor2d([[0.3, 1]]);
    const F = tf.tensor2d([[Number.NaN, -0.4]]);
    expect(() => checked(xT, F, 0.5, sigmaData)).toThrow(/^F contains NaN or infinite values/);
    const out = unchecked(xT, F, 0.5, sigmaData);
    const [first, second] = Array.from(out.dataSync());
    expect(first).toBeNaN();
    expect(second).toBeCloseTo(formula(1, -0.4, 0.5), 6); // the finite element, in float32 (~1e-7)
    tf.dispose([xT, F, out]);
  });
});
