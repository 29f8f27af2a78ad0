// Small networks for tests of losses and training, built from @scm/jvp's ops so they run plainly, under
// `jvp`, and under `tf.variableGrads`: the linear-in-y model F(y, t) = a(t)·y of the Gaussian oracle
// (docs/math.md §7), whose ideal a(t) is k(t) (diffusion) or k_cm(t) (consistency).
import { type Tensor, tf } from "@scm/backend";
import { add, cos, dropout, dropoutMask, mul, reshape, sin } from "@scm/jvp";
import type { NetworkFn } from "@scm/trigflow";

/** F(y, t) = a(t)·y with a(t) = Σ_i c_i·sin t·cos^i t, and logvar u(t) = d₀ + d₁·t. */
export interface LinearTimeModel {
  /** The network; with `options.dropout`, y is multiplied by a mask from `dropout.at(0)` (rate 0.2). */
  readonly net: NetworkFn;
  /** `c` [K] (the coefficients of a(t)) and `d` [2] (the logvar head), trainable. */
  readonly params: { readonly c: tf.Variable; readonly d: tf.Variable };
  /** a(t) at the given times, read from the current `c` (float64 arithmetic on float32 weights). */
  a(t: readonly number[]): number[];
  /** Frees the variables. */
  dispose(): void;
}

let instances = 0;

/** a(t) = Σ_i c_i·sin t·cos^i t (Horner in cos t), [B]; with jvp ops so t may carry a tangent. */
function basisSum(t: Tensor, c: readonly Tensor[]): Tensor {
  const cosT = cos(t);
  let acc: Tensor = c[c.length - 1]!; // a scalar: no kernel touches the traced t before the ops
  for (let i = c.length - 2; i >= 0; i--) acc = add(mul(acc, cosT), c[i]!);
  return mul(sin(t), acc);
}

/**
 * The model F(y, t) = a(t)·y (a [B] broadcast over y [B, ...]) with K basis functions sin t·cos^i t,
 * i < K: zero at t = 0 like k_cm, and within ~1e-3 of k_cm and ~1e-2 of k for s = 0.8, σ_d = 0.5 at K = 4.
 * `init` sets c (default zeros); d starts at 0 so w_φ ≈ 0 (§4.2).
 */
export function linearTimeModel(K = 4, init?: readonly number[], dropoutRate = 0.2): LinearTimeModel {
  const id = instances++;
  const initial = init === undefined ? new Array<number>(K).fill(0) : [...init];
  const c = tf.tidy(() => tf.variable(tf.tensor1d(initial), true, `linearTimeModel${id}.c`));
  const d = tf.tidy(() => tf.variable(tf.zeros([2]), true, `linearTimeModel${id}.d`));
  const net: NetworkFn = (y, t, options) => {
    const coefficients = tf.unstack(c); // K scalars; the variable carries no tangent
    const a = basisSum(t, coefficients); // [B]
    const column = reshape(a, [a.shape[0]!, ...new Array<number>(y.rank - 1).fill(1)]);
    let input = y;
    if (options?.dropout !== undefined)
      input = dropout(y, dropoutMask(options.dropout.at(0), y.shape, dropoutRate));
    const [d0, d1] = tf.unstack(d);
    return { F: mul(input, column), logvar: add(mul(t, d1!), d0!) };
  };
  return {
    net,
    params: { c, d },
    a: (ts) => {
      const cs = Array.from(c.dataSync());
      return ts.map((t) => Math.sin(t) * cs.reduceRight((acc, ci) => acc * Math.cos(t) + ci, 0));
    },
    dispose: () => tf.dispose([c, d]),
  };
}
