import { describe, expect, it, vi } from "vitest";
import {
  FusedKernel,
  fusedDropoutMask,
  fusedKernelAvailable,
  fusedSilu,
  fusedStandardize,
  standardizeView,
} from "../fused.js";
import { type AdamCoefficients, fusedAdamStep } from "../fused-adam.js";
import { Rng } from "../rng.js";
import { relativeError, runOn } from "../testing/compare-backends.js";
import { nativeForTests } from "../testing/native.js";
import { expectNoTensorGrowth } from "../testing/no-growth.js";
import { type Tensor, tf } from "../tf.js";

// The native backend needs the compiled addon; without it these suites skip and say why.
const { addon, unavailable } = await nativeForTests();
const suite = (name: string) => (unavailable === undefined ? name : `${name} [skipped: ${unavailable}]`);

const rng = Rng.seeded(91);
const normal = (shape: number[], scale = 1, shift = 0) =>
  rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1))).map((v) => v * scale + shift);

// The composed definitions @scm/jvp's primitives run on every backend without the fused kernels.
const siluComposed = (x: Tensor) => tf.mul(x, tf.sigmoid(x));
function standardizeComposed(x: Tensor, axis: number[], eps: number): Tensor {
  const { mean, variance } = tf.moments(x, axis, true);
  return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
}

// [shape, axis]: GroupNorm's [B, H, W, G, C/G] over (1, 2, 4) with odd sizes and batch 1, LayerNorm
// over the last axis, a reduction with kept trailing axes, and everything.
const standardizeCases: [number[], number[]][] = [
  [
    [2, 5, 3, 4, 6],
    [1, 2, 4],
  ],
  [
    [1, 7, 7, 8, 8],
    [1, 2, 4],
  ],
  [
    [3, 4, 4, 1, 5],
    [1, 2, 4],
  ],
  [[9, 33], [1]],
  [[2, 3, 17], [-1]],
  [[3, 5, 6], [1]],
  [
    [4, 9],
    [0, 1],
  ],
];

describe("standardizeView", () => {
  it("maps the axes to a [batch, n, groups, k] view, or undefined where they do not fit one", () => {
    expect(standardizeView([2, 5, 3, 4, 6], [1, 2, 4])).toEqual([2, 15, 4, 6]);
    expect(standardizeView([9, 33], [1])).toEqual([9, 1, 1, 33]);
    expect(standardizeView([9, 33], [-1])).toEqual([9, 1, 1, 33]);
    expect(standardizeView([3, 5, 6], [1])).toEqual([3, 5, 6, 1]);
    expect(standardizeView([4, 9], [0, 1])).toEqual([1, 1, 1, 36]);
    expect(standardizeView([2, 3, 4], [0, 2])).toEqual([1, 2, 3, 4]);
    expect(standardizeView([2, 3, 4, 5], [0, 2])).toBeUndefined(); // R K R K
    expect(standardizeView([2, 3, 4, 5, 6], [0, 2, 4])).toBeUndefined(); // R K R K R
    expect(standardizeView([2, 3], [])).toBeUndefined();
    expect(standardizeView([2, 3], [2])).toBeUndefined();
  });

  it("leaves the cpu backend on the composed ops", async () => {
    await runOn("cpu", () => {
      const x = tf.ones([2, 3]);
      expect(fusedKernelAvailable(FusedKernel.silu)).toBe(false);
      expect(fusedSilu(x)).toBeUndefined();
      expect(fusedStandardize(x, [1], 1e-5)).toBeUndefined();
      return x;
    });
  });
});

describe.skipIf(unavailable !== undefined)(suite("registerNativeBackend's fused ops"), () => {
  it("registers every fused kernel for the native backend, and none for cpu", () => {
    const native = tf.getKernelsForBackend("native").map((k) => k.kernelName);
    const cpu = tf.getKernelsForBackend("cpu").map((k) => k.kernelName);
    for (const name of Object.values(FusedKernel)) {
      expect(native, name).toContain(name);
      expect(cpu, name).not.toContain(name);
    }
  });
});

describe.skipIf(unavailable !== undefined)(suite("native fused SiLU and standardize"), () => {
  it("SiLU matches x·σ(x) on the cpu backend, forward and gradient", async () => {
    const spy = vi.spyOn(addon!, "silu");
    const gradSpy = vi.spyOn(addon!, "siluGrad");
    for (const shape of [[1], [7], [3, 5, 11], [2, 28, 28, 32], [70_001]]) {
      const x = normal(shape, 4);
      const w = normal(shape);
      // Forward and the gradient of Σ w⊙silu(x): fused on native, composed on cpu.
      const program = (fused: boolean) => () => {
        const xt = tf.tensor(x, shape);
        const wt = tf.tensor(w, shape);
        const f = (v: Tensor) => (fused ? fusedSilu(v)! : siluComposed(v));
        return [f(xt), tf.grad((v: Tensor) => tf.sum(tf.mul(f(v), wt)))(xt)];
      };
      const [cy, cg] = await runOn("cpu", program(false));
      const [ny, ng] = await runOn("native", program(true));
      // σ by the addon's expf (2 ulp) against tfjs's Math.exp in float64 rounded: a few 2^-24.
      expect(relativeError(ny!, cy!), `${shape}`).toBeLessThan(1e-6);
      expect(relativeError(ng!, cg!), `grad ${shape}`).toBeLessThan(2e-6);
    }
    expect(spy).toHaveBeenCalled();
    expect(gradSpy).toHaveBeenCalled();
  });

  it("standardize matches the composed moments on the cpu backend, forward and gradient", async () => {
    const spy = vi.spyOn(addon!, "standardize");
    const gradSpy = vi.spyOn(addon!, "standardizeGrad");
    for (const [shape, axis] of standardizeCases) {
      // An offset and scale far from 0 and 1, where a one-pass variance would lose digits.
      const x = normal(shape, 3, 5);
      const w = normal(shape);
      const program = (fused: boolean) => () => {
        const xt = tf.tensor(x, shape);
        const wt = tf.tensor(w, shape);
        const f = (v: Tensor) =>
          fused ? fusedStandardize(v, axis, 1e-5)! : standardizeComposed(v, axis, 1e-5);
        return [f(xt), tf.grad((v: Tensor) => tf.sum(tf.mul(f(v), wt)))(xt)];
      };
      const [cy, cg] = await runOn("cpu", program(false));
      const [ny, ng] = await runOn("native", program(true));
      // float64 statistics (native) against float32 passes (cpu): outputs are O(1), a few 2^-24
      // relative to the spread of x divided by its standard deviation.
      expect(relativeError(ny!, cy!), `${shape} ${axis}`).toBeLessThan(1e-5);
      expect(relativeError(ng!, cg!), `grad ${shape} ${axis}`).toBeLessThan(1e-4);
    }
    expect(spy).toHaveBeenCalled();
    expect(gradSpy).toHaveBeenCalled();
  });

  it("falls back (undefined) for other dtypes and axes that do not fuse", async () => {
    await runOn("native", () => {
      const i = tf.ones([2, 3], "int32");
      expect(fusedSilu(i)).toBeUndefined();
      expect(fusedStandardize(i, [1], 1e-5)).toBeUndefined();
      const x = tf.ones([2, 3, 4, 5, 6]);
      expect(fusedStandardize(x, [0, 2, 4], 1e-5)).toBeUndefined();
      return [i, x];
    });
  });

  it("leaks no tensors and no memory over many forward and gradient calls", async () => {
    await runOn("native", () => {
      const x = tf.randomNormal([2, 6, 6, 4, 8]);
      const step = () =>
        tf.tidy(() => {
          const g = tf.grad((v: Tensor) => tf.sum(fusedSilu(fusedStandardize(v, [1, 2, 4], 1e-5)!)!))(x);
          g.dataSync();
        });
      expectNoTensorGrowth(step, 2000);
      return x;
    });
  });
});

describe.skipIf(unavailable !== undefined)(suite("native dropout masks"), () => {
  // @scm/jvp's dropoutMask on every other backend: the Rng's uniforms in a Float32Array, then u < rate.
  function maskInJavaScript(rng: Rng, n: number, rate: number): Float32Array {
    const u = rng.fillUniform(new Float32Array(n));
    return u.map((v) => (v < rate ? 0 : 1 / (1 - rate)));
  }

  it("draws the JavaScript loop's mask bit for bit, for any stream and rate", async () => {
    const n = 300_001;
    for (const [seed, rate] of [
      [0, 0.1],
      [2 ** 40 + 3, 0.5],
      [77, 0],
      [5, 0.999],
      [123, 2 ** -30],
    ] as const) {
      const stream = Rng.seeded(seed).at(seed % 7);
      const [native] = await runOn("native", () => fusedDropoutMask(stream, [n], rate)!);
      const expected = maskInJavaScript(Rng.fromState(stream.state()), n, rate);
      // One comparison of the whole array (not one expect per element).
      expect(Buffer.from(native!.values.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
      expect(native!.shape).toEqual([n]);
    }
  });

  it("is absent on cpu, so @scm/jvp draws there in JavaScript", async () => {
    await runOn("cpu", () => {
      expect(fusedDropoutMask(Rng.seeded(1), [4], 0.1)).toBeUndefined();
      return tf.zeros([1]);
    });
  });
});

describe.skipIf(unavailable !== undefined)(suite("native Adam / RAdam step"), () => {
  // The optimizer's composed update (@scm/losses optimizer.ts), as tfjs kernels.
  function composed(p: Tensor, m: Tensor, v: Tensor, g: Tensor, k: AdamCoefficients): Tensor[] {
    const m2 = tf.add(tf.mul(m, k.beta1), tf.mul(g, 1 - k.beta1));
    const v2 = tf.add(tf.mul(v, k.beta2), tf.mul(tf.square(g), 1 - k.beta2));
    const update =
      k.mode === "adam"
        ? tf.div(tf.mul(m2, k.step), tf.add(tf.div(tf.sqrt(v2), k.sqrtBc2), k.epsilon))
        : k.mode === "radam-rectified"
          ? tf.div(tf.mul(m2, k.step), tf.add(tf.sqrt(v2), k.epsilon))
          : tf.mul(m2, k.step);
    return [tf.sub(p, update), m2, v2];
  }

  it("gives the composed update's parameter and moments bit for bit (cpu's kernels), in every mode", async () => {
    const same = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));
    for (const [n, k] of [
      [
        40_001,
        { mode: "adam", beta1: 0.9, beta2: 0.99, step: 1e-3 / 0.271, sqrtBc2: 0.1982, epsilon: 1e-11 },
      ],
      [7, { mode: "radam-rectified", beta1: 0.9, beta2: 0.99, step: 3.7e-4, sqrtBc2: 0.3, epsilon: 1e-8 }],
      [
        33_333,
        { mode: "radam-rectified", beta1: 0.5, beta2: 0.999, step: 2e-2, sqrtBc2: 0.05, epsilon: 1e-8 },
      ],
      [
        1_000,
        { mode: "radam-unadapted", beta1: 0.9, beta2: 0.99, step: 1e-3 / 0.19, sqrtBc2: 0.1, epsilon: 1e-8 },
      ],
    ] as [number, AdamCoefficients][]) {
      const [p, m, g] = [normal([n]), normal([n], 0.1), normal([n], 0.3)];
      const v = normal([n], 0.01).map(Math.abs);
      const inputs = () => [p, m, v, g].map((a) => tf.tensor1d(a)) as [Tensor, Tensor, Tensor, Tensor];
      const expected = await runOn("cpu", () => composed(...inputs(), k));
      const fused = await runOn("native", () => {
        const r = fusedAdamStep(...inputs(), k)!;
        return [r.p, r.m, r.v];
      });
      expect(fused.map((t, i) => same(t.values, expected[i]!.values))).toEqual([true, true, true]);
    }
  });

  it("leaves no tensor behind, and is absent on cpu so the optimizer composes it there", async () => {
    await runOn("native", () => {
      const [p, m, v, g] = [1, 2, 3, 4].map((s) => tf.fill([300], s * 0.1));
      const k: AdamCoefficients = {
        mode: "adam",
        beta1: 0.9,
        beta2: 0.99,
        step: 1e-3,
        sqrtBc2: 0.1,
        epsilon: 1e-8,
      };
      const before = tf.memory().numTensors;
      for (let i = 0; i < 50; i++) tf.dispose(Object.values(fusedAdamStep(p!, m!, v!, g!, k)!));
      expect(tf.memory().numTensors).toBe(before);
      return tf.zeros([1]);
    });
    await runOn("cpu", () => {
      const x = tf.zeros([2]);
      expect(
        fusedAdamStep(x, x, x, x, { mode: "adam", beta1: 0.9, beta2: 0.99, step: 1, sqrtBc2: 1, epsilon: 1 }),
      ).toBeUndefined();
      return x;
    });
  });
});
