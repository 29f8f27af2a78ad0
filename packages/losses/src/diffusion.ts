// The TrigFlow diffusion (teacher) objective (Eq. 4): ‖σ_d·F_θ(x_t/σ_d, t) − v_t‖², v_t = cos t·z − sin t·x0,
// with EDM2's uncertainty weighting per sample (1/e^{u(t)})·L/D + u(t), u the network's `logvar` head,
// and optional label dropout for classifier-free guidance.
import { type Tensor, tf } from "@scm/backend";
import { velocityTargetUnchecked } from "@scm/trigflow/unchecked";
import { checkLabelDropout, dropLabels, type LabelDropout } from "./label-dropout.js";
import { checkBatch, drawNoisyBatch, resolveTimes, type TimesLike } from "./noisy-batch.js";
import type { Loss, ObjectiveOutput, PreparedLoss } from "./types.js";

/** Options of `diffusionLoss`. */
export interface DiffusionLossOptions {
  /** The time proposal, `(rng, n) → t` or lognormal (default `teacherImagenet64`: P_mean −0.8, P_std 1.6, σ_d 0.5). */
  readonly proposal?: TimesLike;
  /** σ_d (default: the lognormal proposal's; required beside a proposal function). */
  readonly sigmaData?: number;
  /** EDM2 uncertainty weighting through the `logvar` head (default true); false: the plain mean square. */
  readonly uncertaintyWeighting?: boolean;
  /** Replace labels by the null label with this probability (CFG teachers: rate 0.1); default off. */
  readonly labelDropout?: LabelDropout | undefined;
  /** Pass a dropout Rng to the network (default true; the network's own rate decides). */
  readonly dropout?: boolean;
}

/** (1/D)·‖a − b‖² per sample: [B, ...] → [B]. */
export function meanSquare(a: Tensor, b: Tensor): Tensor {
  return tf.tidy(() => tf.mean(tf.reshape(tf.squaredDifference(a, b), [a.shape[0]!, -1]), 1));
}

/** The TrigFlow diffusion loss (Eq. 4) with EDM2 uncertainty weighting; a `Loss`. */
export function diffusionLoss(options: DiffusionLossOptions = {}): Loss {
  const { times, sigmaData } = resolveTimes(options.proposal ?? "teacherImagenet64", options.sigmaData);
  const { labelDropout, uncertaintyWeighting = true, dropout = true } = options;
  if (labelDropout !== undefined) checkLabelDropout(labelDropout);
  return (student, batch, { rng }): PreparedLoss => {
    checkBatch(batch);
    const { t, z, xT } = drawNoisyBatch(rng, batch.x0, times, sigmaData);
    // Unchecked: t and z are drawn above, x0 is checked in the trainer's one read.
    const target = velocityTargetUnchecked(batch.x0, z, t); // Eq. 4: v_t = cos t·z − sin t·x0
    const label =
      batch.label !== undefined && labelDropout !== undefined
        ? dropLabels(rng, batch.label, labelDropout)
        : batch.label;
    const networkOptions = { label, dropout: dropout ? rng.fork() : undefined };
    const y = tf.div(xT, sigmaData); // the network sees x_t/σ_d (§4.1)
    tf.dispose(z);
    return {
      t,
      objective(): ObjectiveOutput {
        const { F, logvar } = student(y, t, networkOptions);
        const perSample = tf.tidy(() => {
          const mse = meanSquare(tf.mul(F, sigmaData), target); // ‖σ_d F − v_t‖²/D
          // EDM2: (1/e^u)·L + u; without the head, L alone.
          return uncertaintyWeighting ? tf.add(tf.mul(tf.exp(tf.neg(logvar)), mse), logvar) : mse;
        });
        F.dispose();
        return { perSample, logvar };
      },
    };
  };
}
