// The JVP of Algorithm 1 with the rearranged tangents (docs/math.md §2):
//   (F⁻, J) = jvp(F_θ⁻, (x_t/σ_d, t), (cos t·sin t·dxdt/σ_d, cos t·sin t)),  J = cos t·sin t·dF⁻/dt.
// The paper writes the tangents as (cos t sin t·dxdt, cos t sin t·σ_d) with σ_d carried by the output;
// this form is the same number. cos t·sin t is never divided back out: it keeps the intermediate
// tangents bounded as t → 0 and t → π/2.
import { type Tensor, tf } from "@scm/backend";
import { jvp } from "@scm/jvp";
import { type NetworkFn, type NetworkOptions, timeColumn } from "@scm/trigflow";

/** F⁻ and J = cos t·sin t·dF⁻/dt along the ODE direction dxdt, both [B, ...] and fresh. */
export interface RearrangedJvp {
  readonly F: Tensor;
  readonly J: Tensor;
}

/**
 * Runs the network once under `jvp` at (x_t/σ_d, t) with the rearranged tangents (Alg. 1): returns
 * F⁻ = F(x_t/σ_d, t) and J = cos t·sin t·(∂F/∂y·dxdt/σ_d + ∂F/∂t). No gradient is recorded if called
 * outside a tape; the same `options.dropout` Rng gives the gradient pass the same masks.
 */
export function rearrangedJvp(
  net: NetworkFn,
  xT: Tensor, // [B, ...]
  t: Tensor, // [B]
  dxdt: Tensor, // [B, ...]
  sigmaData: number,
  options?: NetworkOptions,
): RearrangedJvp {
  return tf.tidy(() => {
    const cosSin = tf.mul(tf.cos(t), tf.sin(t)); // [B]
    const y = tf.div(xT, sigmaData); // x_t/σ_d
    const tangentY = tf.mul(timeColumn(cosSin, xT.rank), tf.div(dxdt, sigmaData)); // cos t sin t·dxdt/σ_d
    const [F, J] = jvp((yy: Tensor, tt: Tensor) => net(yy, tt, options).F, [y, t], [tangentY, cosSin]);
    return { F, J };
  });
}
