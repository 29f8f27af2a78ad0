// sCD, continuous-time consistency distillation (Alg. 1): dx_t/dt = σ_d·F_teacher(x_t/σ_d, t) from the
// teacher's (EMA) weights; with classifier-free guidance (§4.2) dxdt = σ_d·(F_u + s·(F_c − F_u)),
// s ~ U[1, s_max] per sample, and the student receives s as its `guidance` input.
import { randomUniform, type Tensor, tf } from "@scm/backend";
import { type NetworkFn, timeColumn, velocityOf } from "@scm/trigflow";
import { type ConsistencyLossOptions, consistencyLoss } from "./consistency.js";
import { LossConfigError } from "./errors.js";
import { checkNullLabel } from "./label-dropout.js";
import type { Loss } from "./types.js";

/** Classifier-free guidance of sCD: s ~ U[1, sMax] (s_max = 2 on ImageNet 512); null label = numClasses. */
export interface GuidanceOptions {
  readonly sMax: number;
  readonly nullLabel: number;
}

/** Options of `scdLoss`: the teacher, optional guidance, and all of Algorithm 1's. */
export interface ScdLossOptions extends ConsistencyLossOptions {
  /** The teacher network (built from the teacher's EMA weights); it runs without dropout or tape. */
  readonly teacher: NetworkFn;
  /** Classifier-free guidance (needs labels in the batch); default off: dxdt = σ_d·F_teacher(·, label). */
  readonly guidance?: GuidanceOptions | undefined;
}

/** The guided teacher velocity σ_d·(F_u + s·(F_c − F_u)) (§4.2), s [B] broadcast over F [B, ...]. */
export function guidedVelocity(Fc: Tensor, Fu: Tensor, s: Tensor, sigmaData: number): Tensor {
  return tf.tidy(() => tf.mul(tf.add(Fu, tf.mul(timeColumn(s, Fc.rank), tf.sub(Fc, Fu))), sigmaData));
}

/** The sCD loss of Algorithm 1 with dxdt from the teacher (optionally guided); a `Loss`. */
export function scdLoss(options: ScdLossOptions): Loss {
  const { teacher, guidance } = options;
  if (typeof teacher !== "function") throw new LossConfigError("teacher", typeof teacher, "a NetworkFn");
  if (guidance !== undefined) {
    if (!(Number.isFinite(guidance.sMax) && guidance.sMax >= 1)) {
      throw new LossConfigError("guidance.sMax", guidance.sMax, "a finite number ≥ 1");
    }
    checkNullLabel(guidance.nullLabel, "guidance.nullLabel");
  }
  return consistencyLoss(options, ({ batch, rng, t, xT, sigmaData }) => {
    const B = t.shape[0]!;
    const y = tf.div(xT, sigmaData);
    let dxdt: Tensor;
    let s: Tensor | undefined;
    if (guidance === undefined) {
      const F = velocityOf(teacher, { label: batch.label })(y, t);
      dxdt = tf.mul(F, sigmaData); // Alg. 1 (sCD): dxdt = σ_d·F_teacher(x_t/σ_d, t)
      F.dispose();
    } else {
      if (batch.label === undefined) {
        throw new LossConfigError("batch.label", "absent", "class labels int32 [B] for sCD with guidance");
      }
      s = randomUniform(rng, [B], 1, guidance.sMax); // s ~ U[1, s_max]
      const label = batch.label;
      dxdt = tf.tidy(() => {
        // One teacher call on [cond; uncond]: F_c for the labels, F_u for the null label.
        const both = teacher(tf.concat([y, y]), tf.concat([t, t]), {
          label: tf.concat([label, tf.fill([B], guidance.nullLabel, "int32")]),
        });
        const [Fc, Fu] = tf.split(both.F, 2);
        return guidedVelocity(Fc!, Fu!, s!, sigmaData); // §4.2: σ_d·(F_u + s·(F_c − F_u))
      });
    }
    y.dispose();
    const velocity = dxdt;
    return {
      dxdt: velocity,
      guidance: s,
      // App. E: one DDIM step of the teacher's ODE, x_{t'} = cos(t − t')·x_t − sin(t − t')·dxdt (§4).
      xAt: (tPrev) =>
        tf.tidy(() => {
          const d = timeColumn(tf.sub(t, tPrev), xT.rank);
          return tf.sub(tf.mul(tf.cos(d), xT), tf.mul(tf.sin(d), velocity));
        }),
    };
  });
}
