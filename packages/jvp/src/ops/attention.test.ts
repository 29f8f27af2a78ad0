import { Rng, randomNormal, type Tensor, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { ShapeError } from "../errors.js";
import { jvp } from "../jvp.js";
import { describeJvpCases } from "../jvp-cases.test-util.js";
import { jvpReport, jvpTolerances, relativeError } from "../testing/index.js";
import { type AttentionOptions, attention, attentionPrimitives } from "./attention.js";

const rng = Rng.seeded(22);
const [B, H, T, D] = [2, 2, 7, 4];
const q = randomNormal(rng, [B, H, T, D]); // [B, heads, T, d]
const k = randomNormal(rng, [B, H, T, D]);
const v = randomNormal(rng, [B, H, T, D]);
const kLong = randomNormal(rng, [B, H, 10, D]); // Tk ≠ Tq
const vLong = randomNormal(rng, [B, H, 10, 3]); // dv ≠ d

const direct =
  (options: AttentionOptions = {}) =>
  (a: Tensor, b: Tensor, c: Tensor) =>
    attention(a, b, c, options);
const blockwise = (blockSize: number) => direct({ mode: "blockwise", blockSize });

describe("attention", () => {
  it.each([
    ["direct", direct()],
    ["blockwise, blocks of 3 (the last one short)", blockwise(3)],
    ["blockwise, one block", blockwise(64)],
  ])("%s matches central finite differences and the dot-product identity, leaking nothing", (_n, fn) => {
    const r = jvpReport(fn, [q, k, v], rng);
    // Tolerances and their reasons: `jvpTolerances`.
    expect(r.finiteDifference).toBeLessThan(jvpTolerances.finiteDifference);
    expect(r.dotProduct).toBeLessThan(jvpTolerances.dotProduct);
    expect(r.leaked).toBe(0);
  });

  it("has App. F's direct JVP: ẏ = (p⊙ẋ)·v − rowsum(p⊙ẋ)⊙(p·v) + p·v̇", () => {
    const [tq, tk, tv] = [q, k, v].map((a) => randomNormal(rng, a.shape)) as [Tensor, Tensor, Tensor];
    const [, ty] = jvp(direct(), [q, k, v], [tq, tk, tv]);
    const expected = tf.tidy(() => {
      const scale = 1 / Math.sqrt(D);
      const p = tf.softmax(tf.mul(tf.matMul(q, k, false, true), scale));
      const tx = tf.mul(tf.add(tf.matMul(tq, k, false, true), tf.matMul(q, tk, false, true)), scale);
      const ptx = tf.mul(p, tx);
      return tf.add(
        tf.sub(tf.matMul(ptx, v), tf.mul(tf.sum(ptx, -1, true), tf.matMul(p, v))),
        tf.matMul(p, tv),
      );
    });
    // The same quantities in another association order: float32 rounding ~1e-6 relative.
    expect(relativeError(ty, expected)).toBeLessThan(1e-5);
    tf.dispose([tq, tk, tv, ty, expected]);
  });

  it.each([
    ["all of q, k, v", [true, true, true]],
    ["only q", [true, false, false]],
    ["only k", [false, true, false]],
    ["only v", [false, false, true]],
  ])("agrees blockwise with direct to float32 precision, tangents on %s", (_n, which) => {
    for (const [keys, values, blockSize] of [
      [k, v, 2],
      [kLong, vLong, 4],
      [kLong, vLong, 10],
    ] as Array<[Tensor, Tensor, number]>) {
      const primals = [q, keys, values];
      const fnD = (a: Tensor, b: Tensor, c: Tensor) =>
        direct()(which[0] ? a : q, which[1] ? b : keys, which[2] ? c : values);
      const fnB = (a: Tensor, b: Tensor, c: Tensor) =>
        blockwise(blockSize)(which[0] ? a : q, which[1] ? b : keys, which[2] ? c : values);
      const tangents = primals.map((a) => randomNormal(rng, a.shape));
      const [yD, tD] = jvp(fnD, primals, tangents);
      const [yB, tB] = jvp(fnB, primals, tangents);
      // Online softmax regroups the same sums: float32 rounding ~1e-7..1e-6 relative.
      expect(relativeError(yB, yD)).toBeLessThan(2e-6);
      expect(relativeError(tB, tD)).toBeLessThan(2e-6);
      tf.dispose([...tangents, yD, tD, yB, tB]);
    }
  });

  it("agrees blockwise with direct under nested jvp (second derivative along q)", () => {
    const t1 = randomNormal(rng, q.shape);
    const second = (fn: (a: Tensor, b: Tensor, c: Tensor) => Tensor) =>
      jvp((a) => jvp((b) => fn(b, k, v), [a], [t1])[1], [q], [t1])[1];
    const dD = second(direct());
    const dB = second(blockwise(3));
    // Second-order terms through the online softmax: float32 rounding ~1e-6 relative.
    expect(relativeError(dB, dD)).toBeLessThan(1e-5);
    tf.dispose([t1, dD, dB]);
  });

  it("never materialises a [Tq, Tk] block in blockwise mode", async () => {
    const big = randomNormal(rng, [1, 1, 32, 4]);
    const tangent = randomNormal(rng, [1, 1, 32, 4]);
    const shapes = async (fn: (a: Tensor, b: Tensor, c: Tensor) => Tensor) => {
      const info = await tf.profile(() => {
        const [y, ty] = jvp(fn, [big, big, big], [tangent, tangent, tangent]);
        tf.dispose([y, ty]);
      });
      return info.kernels.flatMap((kernel) => kernel.outputShapes);
    };
    const isFull = (s: number[]) => s.length === 4 && s[2] === 32 && s[3] === 32;
    // Direct holds 32×32 logits; blockwise with blocks of 8 holds at most 32×8.
    expect((await shapes(direct())).some(isFull)).toBe(true);
    expect((await shapes(blockwise(8))).some(isFull)).toBe(false);
    tf.dispose([big, tangent]);
  });

  it("rejects k whose batch, heads or depth differ from q's", () => {
    const bad = tf.zeros([B, H, T, D + 1]);
    expect(() => attention(q, bad, v)).toThrow(ShapeError);
    expect(() => attention(q, bad, v)).toThrow(
      `attention's k has shape [2, 2, 7, 5]; expected [2, 2, Tk, 4] to match q.`,
    );
    bad.dispose();
  });
});

// Last, so that the draws above are as they were: the table's check over blockwise attention (direct
// attention is a composite of matMul and softmax).
describeJvpCases([["attention, blockwise, blocks of 3", blockwise(3), [q, k, v]]], rng, attentionPrimitives);
