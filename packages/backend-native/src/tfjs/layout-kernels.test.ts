import { describe, expect, it, vi } from "vitest";
import { errorOn, runOn } from "../testing/compare-backends.js";
import { draws } from "../testing/fixtures.js";
import { nativeForTests } from "../testing/native.js";
import { tf } from "./tf.js";

// The native backend needs the compiled addon; without it these suites skip and say why.
const { addon, unavailable } = await nativeForTests();
const suite = (name: string) => (unavailable === undefined ? name : `${name} [skipped: ${unavailable}]`);

const draw = draws(144);

// Copies move values without arithmetic, so every comparison below is exact.
async function same(program: () => tf.Tensor | tf.Tensor[]): Promise<void> {
  const cpu = await runOn("cpu", program);
  const native = await runOn("native", program);
  expect(native.length).toBe(cpu.length);
  native.forEach((t, i) => {
    expect(t.shape).toEqual(cpu[i]!.shape);
    const bad = t.values.findIndex((v, j) => !Object.is(v, cpu[i]!.values[j]));
    expect(bad, `output ${i} first differs at ${bad}: ${t.values[bad]} vs ${cpu[i]!.values[bad]}`).toBe(-1);
  });
}

describe.skipIf(unavailable !== undefined)(suite("native Slice, SplitV and Concat"), () => {
  it("slice strided and contiguous blocks as the cpu backend does", async () => {
    const x = draw([3, 5, 4, 6]);
    const spy = vi.spyOn(addon!, "copyBlock");
    for (const [begin, size] of [
      [
        [0, 1, 1, 2],
        [2, 3, 2, 3],
      ],
      [
        [0, 0, 0, 5],
        [3, 5, 4, 1],
      ],
      [
        [1, 0, 0, 0],
        [1, 5, 4, 6],
      ], // contiguous: a view, no copy
      [
        [2, 4, 3, 0],
        [-1, -1, -1, -1],
      ],
    ]) {
      await same(() => tf.slice(tf.tensor(x, [3, 5, 4, 6]), begin!, size!));
    }
    expect(spy).toHaveBeenCalledTimes(2); // the two strided blocks; the contiguous ones are views
    spy.mockRestore();
  });

  it("concatenate and split along every axis, and differentiate through both", async () => {
    const a = draw([2, 3, 4, 5]);
    const b = draw([2, 3, 4, 7]);
    await same(() => tf.concat([tf.tensor(a, [2, 3, 4, 5]), tf.tensor(b, [2, 3, 4, 7])], 3));
    for (const axis of [0, 1, 2, 3]) {
      await same(() =>
        tf.concat([tf.tensor(a, [2, 3, 4, 5]), tf.tensor(a, [2, 3, 4, 5]), tf.tensor(a, [2, 3, 4, 5])], axis),
      );
      await same(() => tf.split(tf.tensor(a, [2, 3, 4, 5]), axis === 3 ? [2, 1, 2] : 2 - (axis % 2), axis));
    }
    // Concat's gradient is SplitV: the U-Net skip connections' backward pass.
    const r = draw([2, 3, 4, 12]);
    await same(() =>
      tf.grads((x: tf.Tensor, y: tf.Tensor) =>
        tf.sum(tf.mul(tf.concat([x, y], 3), tf.tensor(r, [2, 3, 4, 12]))),
      )([tf.tensor(a, [2, 3, 4, 5]), tf.tensor(b, [2, 3, 4, 7])]),
    );
  });

  it("rejects inconsistent shapes and bad slices with tfjs's own errors", async () => {
    for (const program of [
      () => tf.concat([tf.zeros([2, 3]), tf.zeros([3, 3])], 1),
      () => tf.slice(tf.zeros([2, 3]), [1, 1], [2, 2]),
      () => tf.split(tf.zeros([2, 6]), [2, 3], 1),
    ]) {
      const expected = await errorOn("cpu", program);
      expect(expected).toBeDefined();
      expect(await errorOn("native", program)).toBe(expected);
    }
  });
});

describe.skipIf(unavailable !== undefined)(suite("native Tile, Transpose and PadV2"), () => {
  it("tile, broadcast, transpose and pad as the cpu backend does, gradients included", async () => {
    const spies = [vi.spyOn(addon!, "tile"), vi.spyOn(addon!, "transpose"), vi.spyOn(addon!, "copyBlock")];
    const x = draw([2, 1, 4, 3]);
    const r = draw([2, 5, 4, 3]);
    await same(() => tf.tile(tf.tensor(x, [2, 1, 4, 3]), [2, 3, 1, 2]));
    // broadcastTo runs Tile; its gradient sums over the broadcast axis.
    await same(() => {
      const t = tf.tensor(x, [2, 1, 4, 3]);
      const f = (v: tf.Tensor) => tf.broadcastTo(v, [2, 5, 4, 3]);
      const [g] = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(f(v), tf.tensor(r, [2, 5, 4, 3]))))([t]);
      return [f(t), g!];
    });
    for (const perm of [
      [0, 3, 1, 2],
      [3, 2, 1, 0],
      [1, 0, 2, 3],
    ]) {
      await same(() => {
        const t = tf.tensor(x, [2, 1, 4, 3]);
        const [g] = tf.grads((v: tf.Tensor) => tf.sum(tf.square(tf.transpose(v, perm))))([t]);
        return [tf.transpose(t, perm), g!];
      });
    }
    for (const value of [0, -1.5]) {
      await same(() => {
        const t = tf.tensor(x, [2, 1, 4, 3]);
        const f = (v: tf.Tensor) =>
          tf.pad(
            v,
            [
              [0, 1],
              [2, 0],
              [1, 1],
              [0, 0],
            ],
            value,
          );
        const [g] = tf.grads((v: tf.Tensor) => tf.sum(tf.square(f(v))))([t]);
        return [f(t), g!];
      });
    }
    for (const spy of spies) {
      expect(spy).toHaveBeenCalled();
      spy.mockRestore();
    }
  });
});

describe.skipIf(unavailable !== undefined)(suite("native ResizeNearestNeighbor"), () => {
  const cases = [
    [[2, 4, 5, 3], [8, 10], false, false], // ×2, a U-Net's upsampling
    [[1, 7, 6, 2], [3, 4], false, true],
    [[2, 3, 5, 4], [7, 9], true, false],
    [[1, 3, 5, 4], [7, 9], true, false],
  ] as const;

  it("resizes as the cpu backend does", async () => {
    for (const [shape, size, align, half] of cases) {
      const x = draw([...shape]);
      await same(() => tf.image.resizeNearestNeighbor(tf.tensor4d(x, [...shape]), [...size], align, half));
    }
  });

  it("has the adjoint of the forward resize as its gradient: ⟨f(x), r⟩ = ⟨x, ∇⟩", async () => {
    // tfjs-backend-cpu 4.22's ResizeNearestNeighborGrad reads dy with the images' batch stride, so
    // it is wrong from the second image on; the identity checks the native gradient instead, and
    // the single-image cases are also compared with the cpu kernel.
    const spy = vi.spyOn(addon!, "resizeNearestGrad");
    for (const [shape, size, align] of cases) {
      const x = draw([...shape]);
      const rShape = [shape[0], size[0], size[1], shape[3]];
      const r = draw(rShape);
      const program = () => {
        const t = tf.tensor4d(x, [...shape]);
        const f = (v: tf.Tensor) => tf.image.resizeNearestNeighbor(v as tf.Tensor4D, [...size], align, false);
        const [g] = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(f(v), tf.tensor(r, rShape))))([t]);
        return [f(t), g!];
      };
      const [y, g] = await runOn("native", program);
      let lhs = 0;
      let rhs = 0;
      let scale = 0;
      for (let i = 0; i < r.length; i++) {
        lhs += y!.values[i]! * r[i]!;
        scale += Math.abs(y!.values[i]! * r[i]!);
      }
      for (let i = 0; i < x.length; i++) rhs += x[i]! * g!.values[i]!;
      // Both sides sum the same products in float64; each gradient pixel was rounded to float32 once.
      expect(Math.abs(lhs - rhs), `${shape} → ${size}`).toBeLessThan(1e-6 * scale);
      if (shape[0] === 1) await same(program);
    }
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });
});
