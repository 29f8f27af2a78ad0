import { FusedKernel, fusedKernelAvailable, Rng, randomNormal, type Tensor, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { jvp } from "../jvp.js";
import { describeJvpCases, type JvpCase } from "../jvp-cases.test-util.js";
import { leakedTensors, relativeError } from "../testing/index.js";
import { add } from "./arithmetic.js";
import { conv2dBias, convBiasPrimitives } from "./conv-bias.js";
import { conv2d } from "./linalg.js";

const rng = Rng.seeded(20);
const x = randomNormal(rng, [2, 5, 5, 3]); // [B, H, W, Cin]
const w3 = randomNormal(rng, [3, 3, 3, 4], 0.3); // [k, k, Cin, Cout]
const w1 = randomNormal(rng, [1, 1, 3, 4], 0.5);
const b = randomNormal(rng, [4]);

const same = (a: Tensor, w: Tensor, c: Tensor) => conv2dBias(a, w, c, 1, "same");
const composite = (a: Tensor, w: Tensor, c: Tensor) => add(conv2d(a, w, 1, "same"), c);

// Tolerances and their reasons: `jvpTolerances`.
const cases: JvpCase[] = [
  ["3×3 same, tangents in x, W and b", same, [x, w3, b]],
  ["1×1 (pointwise)", same, [x, w1, b]],
  ["3×3 valid, stride 2", (a, w, c) => conv2dBias(a!, w!, c!, 2, "valid"), [x, w3, b]],
];

describeJvpCases(cases, rng, convBiasPrimitives);

describe("conv2dBias", () => {
  it("agrees with conv2d + add in value, JVP and gradient", () => {
    const t = [x, w3, b].map((a) => randomNormal(rng, a.shape));
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const [y, dy] = jvp(same, [x, w3, b], t);
      const [yc, dyc] = jvp(composite, [x, w3, b], t);
      // The same conv kernel and one float32 addition (fused on native, Add elsewhere): equal.
      expect(Array.from(y.dataSync())).toEqual(Array.from(yc.dataSync()));
      expect(Array.from(dy.dataSync())).toEqual(Array.from(dyc.dataSync()));
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(t);
  });

  it("leaks nothing under jvp with every tangent present", () => {
    const t = [x, w3, b].map((a) => randomNormal(rng, a.shape));
    expect(leakedTensors(() => jvp(same, [x, w3, b], t))).toBe(0);
    tf.dispose(t);
  });

  it("rejects a bias that does not match the filter's output channels", () => {
    expect(() => conv2dBias(x, w3, tf.ones([3]), 1, "same")).toThrow(
      /conv2dBias's bias has shape \[3\]; expected \[4\] \(the filter's output channels\)/,
    );
  });
});

// On a backend with the fused kernel (native: SCM_BACKEND=native) the primal and its gradient run it.
describe.skipIf(!fusedKernelAvailable(FusedKernel.conv2dBias))("conv2dBias with the fused kernel", () => {
  it("runs the fused kernel and agrees with conv2d + add in gradient and reverse mode over the JVP", async () => {
    const names = (await tf.profile(() => same(x, w3, b))).kernelNames;
    expect(names).toContain(FusedKernel.conv2dBias);
    expect(names).not.toContain("Add");
    const t = randomNormal(rng, x.shape);
    const u = randomNormal(rng, x.shape.slice(0, 3).concat([4]));
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const grads = (fn: typeof same) =>
        tf.grads((a: Tensor, w: Tensor, c: Tensor) => tf.sum(tf.mul(fn(a, w, c), u)))([x, w3, b]);
      // The tangent conv2d(ẋ, W) depends on W only: its gradient in W.
      const overJvp = (fn: typeof same) => [
        tf.grad((w: Tensor) => tf.sum(tf.mul(jvp((c: Tensor) => fn(c, w, b), [x], [t])[1], u)))(w3),
      ];
      for (const [got, want] of [
        [grads(same), grads(composite)],
        [overJvp(same), overJvp(composite)],
      ] as const) {
        // The same gradient kernels; the bias sum may group differently: float32 rounding, ~1e-7.
        for (let i = 0; i < got.length; i++)
          expect(relativeError(got[i]!, want[i]!), `${i}`).toBeLessThan(1e-6);
      }
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([t, u]);
  });
});
