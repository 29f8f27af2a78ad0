import { Rng, tf } from "@scm/backend";
import { dropoutMask } from "@scm/jvp";
import { describe, expect, it } from "vitest";
import { ParamScope } from "./layer.js";
import { applyDropout, dropoutState, groupsFor, linear, upsample } from "./layers.js";
import { disposeParams, initParams } from "./params.js";

describe("upsample", () => {
  it("repeats each pixel into a 2×2 block, as resizeNearestNeighbor does", () => {
    const x = tf.range(0, 8).reshape([1, 2, 2, 2]); // [B, H, W, C]
    const [ours, reference] = [upsample(x), tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [4, 4])];
    expect(ours.shape).toEqual([1, 4, 4, 2]);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(reference.dataSync())); // pure copies: exact
    tf.dispose([x, ours, reference]);
  });
});

describe("groupsFor", () => {
  it("takes min(32, C/4) groups, lowered until they divide C (EDM's rule)", () => {
    // 16 → 4; 48 → 12; 384 → 32; 256 + 128 = 384 → 32; 20 → 5; 6 → 1 (6/4 floors to 1); 36 → min(32, 9) = 9.
    expect([16, 48, 384, 20, 6, 36].map(groupsFor)).toEqual([4, 12, 32, 5, 1, 9]);
  });
});

describe("applyDropout", () => {
  it("draws layer k's mask from rng.at(k) and is the identity without an Rng", () => {
    const x = tf.ones([2, 3, 4]);
    const rng = Rng.seeded(8);
    const state = dropoutState(rng, 0.5);
    const [first, second] = [applyDropout(state, x), applyDropout(state, x)];
    const [m0, m1] = [dropoutMask(rng.at(0), [2, 3, 4], 0.5), dropoutMask(rng.at(1), [2, 3, 4], 0.5)];
    // x = 1, so each output is its mask: 0 or 1/(1 − 0.5) = 2, exactly.
    expect(Array.from(first.dataSync())).toEqual(Array.from(m0.dataSync()));
    expect(Array.from(second.dataSync())).toEqual(Array.from(m1.dataSync()));
    expect(state.next).toBe(2);
    const off = applyDropout(dropoutState(undefined, 0.5), x);
    expect(off).toBe(x); // no Rng: the input itself, no copy
    tf.dispose([x, first, second, m0, m1]);
  });
});

describe("linear", () => {
  it("maps the last axis of any rank: x·W + b", () => {
    const scope = new ParamScope();
    const fc = linear(scope.child("fc"), 2, 3);
    const params = initParams(scope.spec, 1);
    const x = tf.tensor3d([1, 2, 3, 4], [1, 2, 2]); // [B, T, in]
    const y = fc(params, x);
    const w = params["fc.weight"]!.arraySync() as number[][]; // [2, 3], bias 0 at init
    const expected = [
      [1, 2],
      [3, 4],
    ].flatMap(([a, b]) => [0, 1, 2].map((j) => a! * w[0]![j]! + b! * w[1]![j]!));
    expect(y.shape).toEqual([1, 2, 3]);
    // Two-term float32 dot products: ≤ 1 ulp.
    Array.from(y.dataSync()).forEach((v, i) => {
      expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-6 * (1 + Math.abs(expected[i]!)));
    });
    tf.dispose([x, y]);
    disposeParams(params);
  });
});
