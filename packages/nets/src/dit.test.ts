import { Rng, randomNormal, tf } from "@scm/backend";
import { jvp } from "@scm/jvp";
import {
  assertAllClose,
  jvpDotProductCheck,
  jvpFiniteDifferenceError,
  jvpTolerances,
  leakedTensors,
  relativeError,
} from "@scm/jvp/testing";
import { afterAll, describe, expect, it } from "vitest";
import { dit, initDiT, positionEmbedding2d } from "./dit.js";
import { disposeParams } from "./params.js";
import { presets } from "./presets.js";
import { asJvpFn, randomizeParams } from "./testing/index.js";

const config = presets.dit.tiny; // 8×8×3 in 2×2 patches: 16 tokens of width 32, 2 blocks, 10 classes

describe("dit", () => {
  const rng = Rng.seeded(11);
  const fresh = initDiT(config, 0);
  const params = randomizeParams(fresh, 1);
  const net = dit(config, params);
  const x = randomNormal(rng, [2, 8, 8, 3]); // [B, H, W, C]
  const t = tf.tensor1d([0.1, 1.5]); // [B], near both ends of [0, π/2]
  const label = tf.tensor1d([0, 7], "int32");
  afterAll(() => {
    disposeParams(fresh);
    disposeParams(params);
    tf.dispose([x, t, label]);
  });

  it("returns F of x's shape and logvar [B], both exactly 0 at init", () => {
    const { F, logvar } = dit(config, fresh)(x, t, { label });
    expect(F.shape).toEqual([2, 8, 8, 3]);
    // final_layer.linear and logvar_linear start at 0 (DiT's zero-initialised final layer; §4.2).
    expect(tf.abs(F).max().arraySync()).toBe(0);
    expect(logvar.arraySync()).toEqual([0, 0]);
    tf.dispose([F, logvar]);
  });

  it("has a JVP in (x, t) that matches finite differences and the dot-product identity, leaking nothing", () => {
    const fn = asJvpFn(net, { label, dropout: Rng.seeded(2) });
    // Tolerances and their reasons: `jvpTolerances`.
    expect(jvpFiniteDifferenceError(fn, [x, t], { rng, directions: 1 })).toBeLessThan(
      jvpTolerances.finiteDifference,
    );
    expect(jvpDotProductCheck(fn, [x, t], rng).error).toBeLessThan(jvpTolerances.dotProduct);
    expect(leakedTensors(() => jvp(fn, [x, t], [x, t]), 1)).toBe(0);
  });

  it("gives the same F and JVP with blockwise attention as with direct attention", () => {
    const blockwise = dit(config, params, { attention: { mode: "blockwise", blockSize: 5 } });
    const tx = randomNormal(rng, x.shape);
    const tt = tf.tensor1d([1, -0.5]);
    const [yD, dD] = jvp(asJvpFn(net, { label }), [x, t], [tx, tt]);
    const [yB, dB] = jvp(asJvpFn(blockwise, { label }), [x, t], [tx, tt]);
    // The online softmax regroups the same sums (blocks of 5 over 16 keys): float32 rounding, ~1e-7.
    expect(relativeError(yB.F, yD.F)).toBeLessThan(1e-5);
    expect(relativeError(dB.F, dD.F)).toBeLessThan(1e-5);
    tf.dispose([tx, tt, yD, dD, yB, dB].flatMap((o) => (o instanceof tf.Tensor ? [o] : Object.values(o))));
  });

  it("unpatchifies so that output patch (i, j) depends only on input patch (i, j) through the patch path", () => {
    // With every block's residual update off (fc2 and proj zero, as at init) and a live final layer,
    // token (i, j) is a function of patch (i, j) alone: perturbing pixel (0, 0) moves only the 2×2
    // patch at the top-left of F, which checks patchify and unpatchify use the same layout.
    const live = randomizeParams(fresh, 5);
    const only = { ...live };
    for (const name of Object.keys(fresh)) if (/mlp\.fc2|attn\.proj/.test(name)) only[name] = fresh[name]!;
    const f = dit(config, only);
    const bump = tf.tensor4d([1], [1, 1, 1, 1]).pad([
      [0, 1],
      [0, 7],
      [0, 7],
      [0, 2],
    ]);
    const changed = tf.tidy(() => {
      const a = f(x, t).F;
      const b = f(tf.add(x, bump), t).F;
      return tf.greater(tf.abs(tf.sub(b, a)).sum(-1), 0).arraySync() as unknown as boolean[][][];
    });
    const cells = changed.flatMap((img, n) =>
      img.flatMap((row, i) => row.flatMap((c, j) => (c ? [[n, i, j]] : []))),
    );
    expect(cells).toEqual([
      [0, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
      [0, 1, 1],
    ]);
    bump.dispose();
    disposeParams(live);
  });
});

describe("positionEmbedding2d", () => {
  it("is sin/cos of the column then the row index at frequencies 10000^(−k/(D/4))", () => {
    const e = positionEmbedding2d(3, 8); // [9, 8]; D/4 = 2 frequencies: 1 and 10000^(−1/2) = 0.01
    const row = Array.from(e.subarray(5 * 8, 6 * 8)); // token 5 = (i 1, j 2)
    const expected = [
      Math.sin(2),
      Math.sin(0.02),
      Math.cos(2),
      Math.cos(0.02),
      Math.sin(1),
      Math.sin(0.01),
      Math.cos(1),
      Math.cos(0.01),
    ];
    // float32 storage of values in [−1, 1]: ≤ 6e-8 absolute.
    assertAllClose(row, expected, { atol: 1e-6, rtol: 0 });
  });
});
