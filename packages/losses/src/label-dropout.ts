// Label dropout for classifier-free guidance (§4.2, sCD with CFG: teachers are trained with label
// dropout 0.1): each label is replaced by the null label with probability `rate`.
import { type Rng, type Tensor, tf } from "@scm/backend";
import { LossConfigError } from "./errors.js";

/** Label dropout: probability `rate` ∈ [0, 1), and the null (unconditional) label, `numClasses`. */
export interface LabelDropout {
  readonly rate: number;
  readonly nullLabel: number;
}

/** Checks a null label: an integer ≥ 0. */
export function checkNullLabel(nullLabel: number, name: string): void {
  if (!(Number.isInteger(nullLabel) && nullLabel >= 0)) {
    throw new LossConfigError(name, nullLabel, "an integer ≥ 0 (the null label is numClasses)");
  }
}

/** Checks the options of `dropLabels`. */
export function checkLabelDropout({ rate, nullLabel }: LabelDropout): void {
  if (!(rate >= 0 && rate < 1)) throw new LossConfigError("labelDropout.rate", rate, "a number in [0, 1)");
  checkNullLabel(nullLabel, "labelDropout.nullLabel");
}

/** Labels int32 [B] with each replaced by `nullLabel` with probability `rate` (B uniforms from `rng`). */
export function dropLabels(rng: Rng, label: Tensor, { rate, nullLabel }: LabelDropout): Tensor {
  const B = label.shape[0]!;
  const u = rng.fillUniform(new Float32Array(B));
  const drop = new Uint8Array(B);
  for (let i = 0; i < B; i++) drop[i] = u[i]! < rate ? 1 : 0;
  return tf.tidy(() => tf.where(tf.tensor1d(drop, "bool"), tf.fill([B], nullLabel, "int32"), label));
}
