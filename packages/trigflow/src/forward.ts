// The TrigFlow forward process and its velocity (§3, Eq. 4): with z ~ N(0, σ_d² I),
//   x_t = cos t·x0 + sin t·z,   v_t = dx_t/dt = cos t·z − sin t·x0.
// Each public function is its `…Unchecked` twin (the math, written once) after the input checks. The
// checks read the device (x0 and z for NaN, t for its range: three small synchronous reads), which is
// right for the public API but stalls a training step on a GPU and is impossible on tfjs-webgpu in
// Node; the twins are exported only from `@scm/trigflow/unchecked` (see unchecked.ts for why this shape).
import { type Tensor, tf } from "@scm/backend";
import { type TimeLike, trigColumns } from "./time.js";
import { checkFiniteTensor, checkSameShape, checkTime } from "./validate.js";

// The public functions' checks, in their order: z's shape, x0 and z finite, then t (shape, range).
function checkInputs(x0: Tensor, z: Tensor, t: TimeLike): void {
  checkSameShape(z, "z", x0, "x0");
  checkFiniteTensor(x0, "x0");
  checkFiniteTensor(z, "z");
  checkTime(t, x0, "x0");
}

/** The noisy sample x_t = cos t·x0 + sin t·z (§3); `z` is N(0, σ_d² I) noise shaped like `x0` [B, ...]. */
export function forwardProcess(x0: Tensor, z: Tensor, t: TimeLike): Tensor {
  checkInputs(x0, z, t);
  return forwardProcessUnchecked(x0, z, t);
}

/** The diffusion target v_t = cos t·z − sin t·x0 = dx_t/dt (Eq. 4), shaped like `x0` [B, ...]. */
export function velocityTarget(x0: Tensor, z: Tensor, t: TimeLike): Tensor {
  checkInputs(x0, z, t);
  return velocityTargetUnchecked(x0, z, t);
}

/** `forwardProcess` without input checks (no device read): z shaped like x0, t in [0, π/2] of shape [] or [B]. */
export function forwardProcessUnchecked(x0: Tensor, z: Tensor, t: TimeLike): Tensor {
  return tf.tidy(() => {
    const { cos, sin } = trigColumns(t, x0.rank);
    return tf.add(tf.mul(x0, cos), tf.mul(z, sin)); // §3: x_t = cos t·x0 + sin t·z
  });
}

/** `velocityTarget` without input checks (no device read): z shaped like x0, t in [0, π/2] of shape [] or [B]. */
export function velocityTargetUnchecked(x0: Tensor, z: Tensor, t: TimeLike): Tensor {
  return tf.tidy(() => {
    const { cos, sin } = trigColumns(t, x0.rank);
    return tf.sub(tf.mul(z, cos), tf.mul(x0, sin)); // Eq. 4: v_t = cos t·z − sin t·x0
  });
}
