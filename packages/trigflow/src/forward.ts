// The TrigFlow forward process and its velocity (§3, Eq. 4): with z ~ N(0, σ_d² I),
//   x_t = cos t·x0 + sin t·z,   v_t = dx_t/dt = cos t·z − sin t·x0.
import { type Tensor, tf } from "@scm/backend";
import { type TimeLike, trigOf } from "./time.js";
import { checkFiniteTensor, checkSameShape } from "./validate.js";

function checkPair(x0: Tensor, z: Tensor): void {
  checkSameShape(z, "z", x0, "x0");
  checkFiniteTensor(x0, "x0");
  checkFiniteTensor(z, "z");
}

/** The noisy sample x_t = cos t·x0 + sin t·z (§3); `z` is N(0, σ_d² I) noise shaped like `x0` [B, ...]. */
export function forwardProcess(x0: Tensor, z: Tensor, t: TimeLike): Tensor {
  checkPair(x0, z);
  return tf.tidy(() => {
    const { cos, sin } = trigOf(t, x0, "x0");
    return tf.add(tf.mul(x0, cos), tf.mul(z, sin)); // §3: x_t = cos t·x0 + sin t·z
  });
}

/** The diffusion target v_t = cos t·z − sin t·x0 = dx_t/dt (Eq. 4), shaped like `x0` [B, ...]. */
export function velocityTarget(x0: Tensor, z: Tensor, t: TimeLike): Tensor {
  checkPair(x0, z);
  return tf.tidy(() => {
    const { cos, sin } = trigOf(t, x0, "x0");
    return tf.sub(tf.mul(z, cos), tf.mul(x0, sin)); // Eq. 4: v_t = cos t·z − sin t·x0
  });
}
