// TrigFlow time t ∈ [0, π/2] (§3): a number shared by the batch, or a per-sample tensor [B] that
// broadcasts over the remaining dimensions of x [B, ...].
import { type Tensor, tf } from "@scm/backend";
import { checkTime, type TimeInterval } from "./validate.js";

/** A TrigFlow time: one number for the whole batch, or a tensor of shape [] or [B]. */
export type TimeLike = number | Tensor;

/**
 * `t` shaped to broadcast over `x` [B, ...]: a number or [] becomes a scalar tensor, [B] becomes
 * [B, 1, …, 1]. Checks `t` (range, NaN, batch size) first.
 */
export function broadcastTime(t: TimeLike, x: Tensor, xName = "x"): Tensor {
  checkTime(t, x, xName);
  return timeColumn(t, x.rank);
}

/** A number, [] or [B] value as a tensor of rank `rank` ([B, 1, …, 1]) or a scalar; no checks. */
export function timeColumn(t: TimeLike, rank: number): Tensor {
  if (typeof t === "number") return tf.scalar(t);
  if (t.rank === 0) return t.clone();
  return tf.reshape(t, [t.shape[0]!, ...new Array<number>(Math.max(rank - 1, 0)).fill(1)]);
}

/** cos t and sin t ready to multiply `x`: numbers (computed in float64) or broadcast tensors. */
export interface Trig {
  readonly cos: number | Tensor;
  readonly sin: number | Tensor;
}

/**
 * Checks `t` against `x` and returns its cos and sin shaped to broadcast over `x`. Call inside
 * `tf.tidy`: for a tensor `t` the results are new tensors.
 */
export function trigOf(t: TimeLike, x: Tensor, xName: string, interval?: TimeInterval): Trig {
  checkTime(t, x, xName, "t", interval);
  return trigColumns(t, x.rank);
}

/** `trigOf` without its checks (they read `t` back), for `t` known to fit: for the unchecked twins. */
export function trigColumns(t: TimeLike, rank: number): Trig {
  if (typeof t === "number") return { cos: Math.cos(t), sin: Math.sin(t) };
  const column = timeColumn(t, rank);
  return { cos: tf.cos(column), sin: tf.sin(column) };
}

/** a + b, in float64 when both are numbers (coefficients of `Trig`). */
export function add(a: number | Tensor, b: number | Tensor): number | Tensor {
  return typeof a === "number" && typeof b === "number" ? a + b : tf.add(a, b);
}

/** a·b, in float64 when both are numbers (coefficients of `Trig`). */
export function times(a: number | Tensor, b: number | Tensor): number | Tensor {
  return typeof a === "number" && typeof b === "number" ? a * b : tf.mul(a, b);
}
