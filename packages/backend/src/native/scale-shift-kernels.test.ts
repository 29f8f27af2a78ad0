import { describe, expect, it, vi } from "vitest";
import { FusedKernel, fusedKernelAvailable } from "../fused.js";
import { fusedScaleShift, scaleShiftView } from "../fused-scale-shift.js";
import { Rng } from "../rng.js";
import { relativeError, runOn } from "../testing/compare-backends.js";
import { nativeForTests } from "../testing/native.js";
import { expectNoTensorGrowth } from "../testing/no-growth.js";
import { type Tensor, tf } from "../tf.js";

// The native backend needs the compiled addon; without it these suites skip and say why.
const { addon, unavailable } = await nativeForTests();
const suite = (name: string) => (unavailable === undefined ? name : `${name} [skipped: ${unavailable}]`);

const rng = Rng.seeded(92);
const normal = (shape: number[], scale = 1, shift = 0) =>
  rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1))).map((v) => v * scale + shift);

/** v [B, C] as [B, 1, ..., 1, C] for x of `rank`; a shared [C] broadcasts as it is. */
function broadcastable(v: Tensor, rank: number): Tensor {
  return v.rank === 1 ? v : tf.reshape(v, [v.shape[0]!, ...Array<number>(rank - 2).fill(1), v.shape[1]!]);
}
// The composed definition @scm/jvp's scaleShift runs on every backend without the fused kernel.
const composed = (x: Tensor, s: Tensor, b: Tensor) =>
  tf.add(tf.mul(x, broadcastable(s, x.rank)), broadcastable(b, x.rank));

// [x shape, scale shape, shift shape]: AdaGN on U-Net features, the norms' shared affine, LayerNorm
// tokens, batch 1, a shared scale with a per-sample shift, and plain rows.
const cases: [number[], number[], number[]][] = [
  [
    [3, 5, 4, 8],
    [3, 8],
    [3, 8],
  ],
  [[2, 7, 7, 6], [6], [6]],
  [
    [4, 9, 5],
    [4, 5],
    [4, 5],
  ],
  [
    [1, 3, 3, 2],
    [1, 2],
    [1, 2],
  ],
  [[2, 3, 3, 4], [4], [2, 4]],
  [[5, 33], [5, 33], [33]],
];

describe("scaleShiftView", () => {
  it("maps x and a [B, C] or [C] vector to [batch, n, c], or undefined where they do not fit", () => {
    expect(scaleShiftView([3, 5, 4, 8], [3, 8])).toEqual([3, 20, 8]);
    expect(scaleShiftView([3, 5, 4, 8], [8])).toEqual([3, 20, 8]);
    expect(scaleShiftView([5, 33], [5, 33])).toEqual([5, 1, 33]);
    expect(scaleShiftView([3, 5, 8], [1, 8])).toBeUndefined(); // batch broadcast is not fused
    expect(scaleShiftView([3, 5, 8], [3, 1, 8])).toBeUndefined();
    expect(scaleShiftView([8], [8])).toBeUndefined();
  });

  it("leaves the cpu backend on the composed ops", async () => {
    await runOn("cpu", () => {
      const x = tf.ones([2, 3]);
      const v = tf.ones([2, 3]);
      expect(fusedKernelAvailable(FusedKernel.scaleShift)).toBe(false);
      expect(fusedScaleShift(x, v, v)).toBeUndefined();
      return [x, v];
    });
  });
});

describe.skipIf(unavailable !== undefined)(suite("native fused scaleShift"), () => {
  it("matches x⊙s + b on the cpu backend: forward bit-identical, gradients to float32 rounding", async () => {
    const spy = vi.spyOn(addon!, "scaleShift");
    const gradSpy = vi.spyOn(addon!, "scaleShiftGrad");
    for (const [xs, ss, bs] of cases) {
      const x = normal(xs, 2, 1);
      const s = normal(ss);
      const b = normal(bs);
      const w = normal(xs);
      // Forward and the gradients of Σ w⊙f(x, s, b) in all three inputs: fused on native, composed on cpu.
      const program = (fused: boolean) => () => {
        const [xt, st, bt, wt] = [tf.tensor(x, xs), tf.tensor(s, ss), tf.tensor(b, bs), tf.tensor(w, xs)];
        const f = (a: Tensor, c: Tensor, d: Tensor) =>
          fused ? fusedScaleShift(a, c, d)! : composed(a, c, d);
        const grads = tf.grads((a: Tensor, c: Tensor, d: Tensor) => tf.sum(tf.mul(f(a, c, d), wt)))([
          xt,
          st,
          bt,
        ]);
        return [f(xt, st, bt), ...grads];
      };
      const cpu = await runOn("cpu", program(false));
      const native = await runOn("native", program(true));
      // Forward: the same two float32 roundings (Mul, then Add), so exactly equal.
      expect(native[0]!.values, `${xs}`).toEqual(cpu[0]!.values);
      // dx = dy⊙s is one rounding, exact; ds and db are sums over the middle (and for a shared vector
      // the batch) axes, float64 (native) against tfjs's float32 reductions: ~1e-6 relative.
      expect(native[1]!.values, `dx ${xs}`).toEqual(cpu[1]!.values);
      expect(relativeError(native[2]!, cpu[2]!), `ds ${xs} ${ss}`).toBeLessThan(1e-5);
      expect(relativeError(native[3]!, cpu[3]!), `db ${xs} ${bs}`).toBeLessThan(1e-5);
      expect(native[2]!.shape).toEqual(ss);
      expect(native[3]!.shape).toEqual(bs);
    }
    expect(spy).toHaveBeenCalled();
    expect(gradSpy).toHaveBeenCalled();
  });

  it("gives the JVP ẋ⊙s + x⊙ṡ + ḃ of the composed rule bit for bit, with any tangent absent", async () => {
    // The tangent kernel as @scm/jvp's scaleShift calls it: absent tangents are absent inputs.
    const jvpKernel = (inputs: Record<string, Tensor>) =>
      tf.engine().runKernel(FusedKernel.scaleShiftJvp, inputs) as Tensor;
    const [xs, ss, bs] = [[3, 5, 4, 8], [3, 8], [8]];
    const [x, s, b, tx, ts, tb] = [xs, ss, bs, xs, ss, bs].map((shape) => normal(shape));
    for (const present of ["xsb", "xs", "xb", "sb", "s", "x"]) {
      const program = (fused: boolean) => () => {
        const [xt, st, bt] = [tf.tensor(x!, xs), tf.tensor(s!, ss), tf.tensor(b!, bs)];
        const dx = present.includes("x") ? tf.tensor(tx!, xs) : undefined;
        const ds = present.includes("s") ? tf.tensor(ts!, ss) : undefined;
        const db = present.includes("b") ? tf.tensor(tb!, bs) : undefined;
        if (fused) {
          const inputs: Record<string, Tensor> = { x: xt, scale: st };
          if (dx !== undefined) inputs.dx = dx;
          if (ds !== undefined) inputs.dscale = ds;
          if (db !== undefined) inputs.dshift = db;
          return [fusedScaleShift(xt, st, bt)!, jvpKernel(inputs)];
        }
        // @scm/jvp's composed rule: Mul's bilinear rule ẋ⊙s + x⊙ṡ, then Add's + ḃ, in this order.
        const terms = [dx && tf.mul(dx, broadcastable(st, 4)), ds && tf.mul(xt, broadcastable(ds, 4))];
        const prod = terms.filter((t) => t !== undefined) as Tensor[];
        const t = prod.length === 2 ? tf.add(prod[0]!, prod[1]!) : prod[0]!;
        return [composed(xt, st, bt), db === undefined ? t : tf.add(t, tf.broadcastTo(db, xs))];
      };
      const cpu = await runOn("cpu", program(false));
      const native = await runOn("native", program(true));
      // The same float32 products and sums in the same order: exactly equal.
      expect(native[0]!.values).toEqual(cpu[0]!.values);
      expect(native[1]!.values, present).toEqual(cpu[1]!.values);
    }
  });

  it("falls back (undefined) for other dtypes and shapes that do not fit", async () => {
    await runOn("native", () => {
      const x = tf.ones([2, 3, 4]);
      const v = tf.ones([2, 4]);
      const i = tf.ones([2, 3, 4], "int32");
      expect(fusedScaleShift(i, v, v)).toBeUndefined();
      expect(fusedScaleShift(x, tf.ones([1, 4]), v)).toBeUndefined();
      expect(fusedScaleShift(x, v, tf.ones([4, 2]))).toBeUndefined();
      return [x, v, i];
    });
  });

  it("leaks no tensors and no memory over many forward, gradient and JVP calls", async () => {
    await runOn("native", () => {
      const x = tf.randomNormal([2, 6, 6, 8]);
      const s = tf.randomNormal([2, 8]);
      const b = tf.randomNormal([8]);
      const step = () =>
        tf.tidy(() => {
          const g = tf.grads((a: Tensor, c: Tensor, d: Tensor) => tf.sum(fusedScaleShift(a, c, d)!))([
            x,
            s,
            b,
          ]);
          const y = fusedScaleShift(x, s, b)!;
          const inputs = { x, scale: s, dx: x, dscale: s, dshift: b };
          const t = tf.engine().runKernel(FusedKernel.scaleShiftJvp, inputs) as Tensor;
          tf.stack([...g.map((v) => tf.sum(v)), tf.sum(y), tf.sum(t)]).dataSync();
        });
      expectNoTensorGrowth(step, 2000);
      return [x, s, b];
    });
  });
});
