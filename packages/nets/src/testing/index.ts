// @scm/nets/testing: helpers for tests of code that runs these networks (nets, losses, apps).
import { Rng, type Tensor, tf } from "@scm/backend";
import type { NetworkFn, NetworkOptions } from "@scm/trigflow";
import type { Params } from "../params.js";

/**
 * Fresh parameters equal to `params` plus noise N(0, (scale/√fanIn)²) per entry (fanIn = the product
 * of all but the last axis, 1 for vectors), trainable as before: zero-initialised layers become live,
 * so a test sees every path of the network at O(1) activations. Deterministic per seed.
 */
export function randomizeParams(params: Params, seed: number, scale = 0.5): Params {
  const out: Params = {};
  for (const [name, v] of Object.entries(params)) {
    const fanIn = v.rank >= 2 ? v.size / v.shape[v.rank - 1]! : 1;
    const noise = Rng.seeded(seed)
      .at(Object.keys(out).length)
      .fillNormal(new Float32Array(v.size), 0, v.trainable ? scale / Math.sqrt(fanIn) : 0);
    const value = tf.tidy(() => tf.add(v, tf.tensor(noise, v.shape)));
    out[name] = tf.variable(value, v.trainable);
    value.dispose();
  }
  return out;
}

/** A copy of `params` where every parameter whose name passes `select` is multiplied by `factor`. */
export function scaleParams(params: Params, select: (name: string) => boolean, factor: number): Params {
  const out: Params = {};
  for (const [name, v] of Object.entries(params)) {
    const value: Tensor = tf.tidy(() => (select(name) ? tf.mul(v, factor) : tf.clone(v)));
    out[name] = tf.variable(value, v.trainable);
    value.dispose();
  }
  return out;
}

/**
 * `net` for fixed options as `(x, t) => { F, logvar }` with a plain object type, the form `jvp` and the
 * @scm/jvp/testing checks accept (trigflow's `NetworkOutput` interface has no index signature).
 */
export function asJvpFn(
  net: NetworkFn,
  options?: NetworkOptions,
): (x: Tensor, t: Tensor) => { F: Tensor; logvar: Tensor } {
  return (x, t) => {
    const { F, logvar } = net(x, t, options);
    return { F, logvar };
  };
}
