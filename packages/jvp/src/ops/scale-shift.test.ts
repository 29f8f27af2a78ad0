import { FusedKernel, fusedKernelAvailable, Rng, randomNormal, type Tensor, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { jvp } from "../jvp.js";
import { describeJvpCases, type JvpCase } from "../jvp-cases.test-util.js";
import { leakedTensors, relativeError } from "../testing/index.js";
import { scaleShift, scaleShiftComposite, scaleShiftPrimitives } from "./scale-shift.js";

const rng = Rng.seeded(19);
const x = randomNormal(rng, [2, 3, 3, 4], 1, 0.5); // [B, H, W, C]
const tokens = randomNormal(rng, [2, 5, 4]); // [B, T, C]
const s = randomNormal(rng, [2, 4], 1, 1); // [B, C]
const b = randomNormal(rng, [2, 4]);
const w = randomNormal(rng, [4]); // shared [C]
const v = randomNormal(rng, [4]);

// Tolerances and their reasons: `jvpTolerances`.
const cases: JvpCase[] = [
  ["per-sample scale and shift (AdaGN, §4.1)", scaleShift, [x, s, b]],
  ["shared scale and shift (the norms' affine)", scaleShift, [x, w, v]],
  ["shared scale, per-sample shift, tokens", scaleShift, [tokens, w, b]],
  ["rows", scaleShift, [s, b, w]],
];

describeJvpCases(cases, rng, scaleShiftPrimitives);

/** Every value of each tensor in `a` equals the one in `b`. */
function expectIdentical(a: Tensor[], b: Tensor[]): void {
  a.forEach((t, i) => {
    expect(Array.from(t.dataSync()), `output ${i}`).toEqual(Array.from(b[i]!.dataSync()));
  });
}

describe("scaleShift", () => {
  it("gives x⊙s + b with the vectors broadcast over the middle axes", () => {
    const y = scaleShift(x, s, b);
    const [xv, sv, bv, yv] = [x, s, b, y].map((t) => t.dataSync());
    let err = 0;
    for (let i = 0; i < xv!.length; i++) {
      const k = Math.floor(i / 36) * 4 + (i % 4); // [B, H, W, C]: batch i/36, channel i%4
      err = Math.max(err, Math.abs(yv![i]! - (xv![i]! * sv![k]! + bv![k]!)));
    }
    // Two float32 roundings of O(1) values.
    expect(err).toBeLessThan(1e-6);
    y.dispose();
  });

  // Without a fused kernel (cpu, wasm, webgl) the primitive runs the composite's ops in its order; with
  // one (native) the fused suite below checks the agreement within float32 rounding instead.
  it.skipIf(fusedKernelAvailable(FusedKernel.scaleShift))(
    "matches its composite bit for bit in value, gradient, JVP and nested JVP",
    () => {
      const tx = randomNormal(rng, x.shape);
      const ts = randomNormal(rng, s.shape);
      const tb = randomNormal(rng, b.shape);
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const run = (fn: typeof scaleShift) => [
          fn(x, s, b),
          ...tf.grads((a: Tensor, c: Tensor, d: Tensor) => tf.sum(tf.mul(fn(a, c, d), a)))([x, s, b]),
          ...jvp(fn, [x, s, b], [tx, ts, tb]),
          jvp((a: Tensor) => jvp((c: Tensor) => fn(c, s, b), [a], [tx])[1], [x], [tx])[1],
          jvp((a: Tensor) => fn(x, w, a), [v], [w])[1],
        ];
        expectIdentical(run(scaleShift), run(scaleShiftComposite));
      });
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([tx, ts, tb]);
    },
  );

  it("leaks nothing under jvp with every tangent present", () => {
    const t = [x, s, b].map((a) => randomNormal(rng, a.shape));
    expect(leakedTensors(() => jvp(scaleShift, [x, s, b], t))).toBe(0);
    tf.dispose(t);
  });

  it("rejects vectors that are neither [B, C] nor [C]", () => {
    expect(() => scaleShift(x, tf.ones([3]), b)).toThrow(
      /scaleShift's scale has shape \[3\]; expected \[2, 4\] or \[4\]/,
    );
    expect(() => scaleShift(x, s, tf.ones([1, 4]))).toThrow(/scaleShift's shift has shape \[1, 4\]/);
    expect(() => scaleShift(w, w, w)).toThrow(/scaleShift's x has shape \[4\]; expected rank ≥ 2/);
  });
});

// On a backend with the fused kernels (native: SCM_BACKEND=native) the primal, its gradient and the
// base-level JVP run them; nested JVPs and reverse mode over a JVP keep the composed rule. Elsewhere
// the composed code runs unchanged, and this suite skips.
describe.skipIf(!fusedKernelAvailable(FusedKernel.scaleShift))("scaleShift with fused kernels", () => {
  it("runs the fused kernels in the primal, tf.grad and the JVP", async () => {
    const t = [x, s, b].map((a) => randomNormal(rng, a.shape));
    const names = async (fn: () => Tensor | Tensor[]) => (await tf.profile(fn)).kernelNames;
    expect(await names(() => scaleShift(x, s, b))).toContain(FusedKernel.scaleShift);
    expect(
      await names(() => tf.grads((a: Tensor, c: Tensor) => tf.sum(scaleShift(a, c, b)))([x, s])),
    ).toContain(FusedKernel.scaleShiftGrad);
    expect(await names(() => jvp(scaleShift, [x, s, b], t))).toContain(FusedKernel.scaleShiftJvp);
    tf.dispose(t);
  });

  it("gives the composite's JVP bit for bit with any tangent absent, fusing only with an x or scale tangent", async () => {
    const t = [x, s, b].map((a) => randomNormal(rng, a.shape));
    const before = tf.memory().numTensors;
    for (const present of ["xsb", "xs", "xb", "sb", "s", "x", "b"]) {
      // Inputs without a tangent are closed over: symbolic zeros, absent from the fused kernel's inputs.
      // tf.profile hands back one shared record per engine, so each run's names are read before the next.
      const run = async (fn: typeof scaleShift) => {
        const { result, kernelNames } = await tf.profile(() => {
          const at = [0, 1, 2].filter((i) => present.includes("xsb"[i]!));
          const g = (...a: Tensor[]) => {
            const args = [x, s, b];
            at.forEach((k, j) => {
              args[k] = a[j]!;
            });
            return fn(args[0]!, args[1]!, args[2]!);
          };
          return jvp(
            g,
            at.map((k) => [x, s, b][k]!),
            at.map((k) => t[k]!),
          );
        });
        return { result: result as Tensor[], kernelNames: [...kernelNames] };
      };
      const fused = await run(scaleShift);
      const composite = await run(scaleShiftComposite);
      // The same float32 products and sums in the same order: exactly equal.
      expectIdentical(fused.result, composite.result);
      expect(fused.kernelNames.includes(FusedKernel.scaleShiftJvp), present).toBe(present !== "b");
      tf.dispose([fused.result, composite.result]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(t);
  });

  it("agrees with the composite in value, gradient, JVP, nested JVP and reverse mode over the JVP, leaking nothing", () => {
    const t = [x, s, b].map((a) => randomNormal(rng, a.shape));
    const t2 = [x, s, b].map((a) => randomNormal(rng, a.shape));
    const u = randomNormal(rng, x.shape);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const fc = scaleShiftComposite;
      const f = scaleShift;
      // Forward and JVP: the same float32 products and sums in the same order, exactly equal.
      expectIdentical(jvp(f, [x, s, b], t), jvp(fc, [x, s, b], t));
      // Gradient sums: float64 (fused) against float32 reductions, ~1e-7 relative.
      const grads = (fn: typeof f) =>
        tf.grads((a: Tensor, c: Tensor, d: Tensor) => tf.sum(tf.mul(fn(a, c, d), u)))([x, s, b]);
      const [gf, gc] = [grads(f), grads(fc)];
      for (let i = 0; i < 3; i++) expect(relativeError(gf[i]!, gc[i]!), `grad ${i}`).toBeLessThan(1e-5);
      const second = (fn: typeof f) => jvp((...a: Tensor[]) => jvp(fn, a, t)[1], [x, s, b], t2)[1];
      expect(relativeError(second(f), second(fc))).toBeLessThan(1e-5);
      const overJvp = (fn: typeof f) =>
        tf.grads((a: Tensor, c: Tensor) => tf.sum(tf.mul(jvp(fn, [a, c, b], t)[1], u)))([x, s]);
      const [of, oc] = [overJvp(f), overJvp(fc)];
      for (let i = 0; i < 2; i++) expect(relativeError(of[i]!, oc[i]!), `over jvp ${i}`).toBeLessThan(1e-5);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...t, ...t2, u]);
  });
});
