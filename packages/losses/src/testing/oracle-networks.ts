// The Gaussian oracle's ideal networks (docs/math.md §7) as `NetworkFn`s built from @scm/jvp's ops, so
// they can be the student under `jvp` (F_cm) or the teacher (F*): logvar is 0.
import { type Tensor, tf } from "@scm/backend";
import { add, cos, div, mul, reshape, sin, sqrt, square, sub } from "@scm/jvp";
import type { NetworkFn } from "@scm/trigflow";

function linearNet(coefficient: (cos: Tensor, sin: Tensor) => Tensor): NetworkFn {
  return (y, t) => {
    const k = coefficient(cos(t), sin(t)); // [B]
    return {
      F: mul(y, reshape(k, [k.shape[0]!, ...new Array<number>(y.rank - 1).fill(1)])),
      logvar: tf.zeros([t.shape[0]!]),
    };
  };
}

/** V(t) = cos²t·s² + sin²t·σ_d². */
function variance(c: Tensor, s: Tensor, dataStd: number, sigmaData: number): Tensor {
  return add(mul(square(c), dataStd * dataStd), mul(square(s), sigmaData * sigmaData));
}

/** F*(y, t) = k(t)·y, k = cos t·sin t·(σ_d² − s²)/V(t): the ideal diffusion model (teacher). */
export function idealDiffusionNet(dataStd: number, sigmaData: number): NetworkFn {
  return linearNet((c, s) =>
    div(mul(mul(c, s), sigmaData * sigmaData - dataStd * dataStd), variance(c, s, dataStd, sigmaData)),
  );
}

/**
 * F_cm(y, t) = k_cm(t)·y, k_cm = (cos t − s/√V)/sin t, written without the 0/0 at t = 0 as
 * sin t·(cos²t·σ_d² − s²(1 + cos²t))/(√V·(cos t·√V + s)): the ideal consistency model.
 */
export function idealConsistencyNet(dataStd: number, sigmaData: number): NetworkFn {
  return linearNet((c, s) => {
    const sqrtV = sqrt(variance(c, s, dataStd, sigmaData));
    const c2 = square(c);
    const numerator = mul(s, sub(mul(c2, sigmaData * sigmaData), mul(add(c2, 1), dataStd * dataStd)));
    return div(numerator, mul(sqrtV, add(mul(c, sqrtV), dataStd)));
  });
}
