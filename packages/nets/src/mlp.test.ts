import { Rng, randomNormal, tf } from "@scm/backend";
import { jvp } from "@scm/jvp";
import { jvpDotProductCheck, jvpFiniteDifferenceError, jvpTolerances, leakedTensors } from "@scm/jvp/testing";
import { afterAll, describe, expect, it } from "vitest";
import { initMlp, mlp } from "./mlp.js";
import { disposeParams } from "./params.js";
import { presets } from "./presets.js";
import { asJvpFn, randomizeParams } from "./testing/index.js";

describe("mlp", () => {
  const config = { ...presets.mlp.toy2d, hiddenSize: 32, depth: 2, dropout: 0.2 }; // toy2d, narrowed for speed
  const rng = Rng.seeded(13);
  const fresh = initMlp(config, 0);
  const params = randomizeParams(fresh, 1);
  const net = mlp(config, params);
  const x = randomNormal(rng, [4, 2]); // [B, D]
  const t = tf.tensor1d([0.05, 0.7, 1.1, 1.55]); // [B]
  afterAll(() => {
    disposeParams(fresh);
    disposeParams(params);
    tf.dispose([x, t]);
  });

  it("returns F [B, D] and logvar [B], both exactly 0 at init", () => {
    const { F, logvar } = mlp(config, fresh)(x, t);
    expect(F.shape).toEqual([4, 2]);
    // out_proj and logvar_linear start at weight 0, bias 0.
    expect(Array.from(F.dataSync())).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(logvar.dataSync())).toEqual([0, 0, 0, 0]);
    tf.dispose([F, logvar]);
  });

  it("has a JVP in (x, t) that matches finite differences and the dot-product identity, leaking nothing", () => {
    const fn = asJvpFn(net, { dropout: Rng.seeded(1) });
    // Tolerances and their reasons: `jvpTolerances`.
    expect(jvpFiniteDifferenceError(fn, [x, t], { rng })).toBeLessThan(jvpTolerances.finiteDifference);
    expect(jvpDotProductCheck(fn, [x, t], rng).error).toBeLessThan(jvpTolerances.dotProduct);
    expect(leakedTensors(() => jvp(fn, [x, t], [x, t]))).toBe(0);
    expect(leakedTensors(() => fn(x, t))).toBe(0);
  });
});
