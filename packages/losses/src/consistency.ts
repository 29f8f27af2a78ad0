// Algorithm 1 (§4.2, docs/math.md §2): the continuous-time consistency objective shared by sCT and
// sCD, which differ only in dx_t/dt. The step below follows the algorithm line by line:
//   x0 ~ D;  t ← times(rng, B) (the paper's τ ~ N(P_mean, P_std²), t ← arctan(e^τ/σ_d));  z ~ N(0, σ_d² I)
//   x_t ← cos t·x0 + sin t·z
//   dx_t/dt ← σ_d·F_pretrain(x_t/σ_d, t) (sCD)  or  cos t·z − sin t·x0 (sCT)
//   r ← min(1, Iters/H)
//   (F⁻, J) = jvp(F_θ⁻, (x_t/σ_d, t), (cos t sin t·dxdt/σ_d, cos t sin t))
//   g ← −cos²t·(σ_d F⁻ − dxdt) − r·(cos t sin t·x_t + σ_d J)
//   g ← g/(‖g‖₂ + c)
//   L ← (e^{w_φ}/D)·‖F_θ(x_t/σ_d, t) − F⁻ − g‖² − w_φ
// t is drawn before z (the paper lists z first): the Rng's order, which resumed runs depend on.
// The update (θ, φ) ← (θ, φ) − η∇L and Iters ← Iters + 1 are the trainer's (trainer.ts).
// Only F_θ and w_φ carry gradient: F⁻ and g are computed before the tape starts (see types.ts).
// w_φ(t) = −logvar: the network's head is EDM2's log-variance u (as for the teacher, so a student
// initialised from a teacher starts from its head), and e^{w}·L − w = e^{−u}·L + u.
import { type Rng, type Tensor, tf } from "@scm/backend";
import { type NetworkOptions, velocityOf } from "@scm/trigflow";
import { checkDiscreteTime, type DiscreteTime, discreteTangent, previousTime } from "./discrete.js";
import { checkBatch, drawNoisyBatch, resolveTimes, type TimesLike } from "./noisy-batch.js";
import { rearrangedJvp } from "./rearranged-jvp.js";
import {
  checkNormalization,
  checkWarmupIterations,
  consistencyTangent,
  normalizeTangent,
  perSampleNorm,
  type TangentNormalization,
  tangentWarmup,
} from "./tangent.js";
import type { Loss, LossBatch, ObjectiveOutput, PreparedLoss } from "./types.js";

/** Options shared by `sctLoss` and `scdLoss`; the defaults are Algorithm 1's. */
export interface ConsistencyLossOptions {
  /** The time proposal, `(rng, n) → t` or lognormal (default `cmImagenet64`: P_mean −1.0, P_std 1.6, σ_d 0.5). */
  readonly proposal?: TimesLike;
  /** σ_d, the data's standard deviation (default: the lognormal proposal's; required beside a proposal function). */
  readonly sigmaData?: number;
  /** H, tangent-warmup iterations, r = min(1, step/H) (default 10000, the paper's; 0: no warmup). */
  readonly tangentWarmup?: number;
  /** Tangent normalisation (default `l2`, Alg. 1's g/(‖g‖₂ + c)). */
  readonly normalization?: TangentNormalization;
  /** c in g/(‖g‖ + c) (default 0.1). */
  readonly normalizationConstant?: number;
  /** Adaptive weighting e^{w_φ}/D·‖·‖² − w_φ (default true); false: ‖·‖²/D, w_φ untouched. */
  readonly adaptiveWeighting?: boolean;
  /** `continuous` (default, Alg. 1) or the discrete-time variant with N steps (App. E). */
  readonly time?: "continuous" | DiscreteTime;
  /** Pass a dropout Rng to the student, the same to the JVP and gradient passes (default true). */
  readonly dropout?: boolean;
}

/** What an objective's dx_t/dt source returns for one batch. */
export interface OdeDirection {
  /** dx_t/dt at (x_t, t) [B, ...]. */
  readonly dxdt: Tensor;
  /** Extra options the student sees in every pass (the guidance scale of sCD with CFG). */
  readonly guidance?: Tensor | undefined;
  /** The discrete variant's earlier point x_{t'} on the same path (sCT) or ODE step (sCD). */
  xAt(tPrev: Tensor): Tensor;
}

/** The per-batch quantities a dx_t/dt source may use. */
export interface DirectionInputs {
  readonly batch: LossBatch;
  readonly rng: Rng;
  readonly t: Tensor; // [B]
  readonly z: Tensor; // [B, ...]
  readonly xT: Tensor; // [B, ...]
  readonly sigmaData: number;
}

/** Builds the continuous-time CM `Loss` of Algorithm 1 around a dx_t/dt source (sCT or sCD). */
export function consistencyLoss(
  options: ConsistencyLossOptions,
  direction: (inputs: DirectionInputs) => OdeDirection,
): Loss {
  const { times, sigmaData } = resolveTimes(options.proposal ?? "cmImagenet64", options.sigmaData);
  const {
    tangentWarmup: H = 10_000,
    normalization = "l2",
    normalizationConstant = 0.1,
    adaptiveWeighting = true,
    time = "continuous",
    dropout = true,
  } = options;
  checkWarmupIterations(H);
  if (time !== "continuous") checkDiscreteTime(time);
  checkNormalization(normalization, normalizationConstant);

  return (student, batch, { rng, step }): PreparedLoss => {
    checkBatch(batch);
    // Alg. 1: t ← times(rng, B), z ~ N(0, σ_d² I), x_t ← cos t·x0 + sin t·z
    const { t, z, xT } = drawNoisyBatch(rng, batch.x0, times, sigmaData);
    const ode = direction({ batch, rng, t, z, xT, sigmaData }); // Alg. 1: dx_t/dt (sCT or sCD)
    const networkOptions: NetworkOptions = {
      label: batch.label,
      guidance: ode.guidance,
      dropout: dropout ? rng.fork() : undefined, // one Rng: identical masks in every pass (§3 note)
    };
    const r = tangentWarmup(step, H); // Alg. 1: r ← min(1, Iters/H)
    const y = tf.div(xT, sigmaData); // x_t/σ_d
    let Fminus: Tensor;
    let g: Tensor;
    if (time === "continuous") {
      const { F, J } = rearrangedJvp(student, xT, t, ode.dxdt, sigmaData, networkOptions);
      Fminus = F;
      g = consistencyTangent({ xT, t, F, J, dxdt: ode.dxdt, sigmaData, warmup: r }); // Alg. 1
    } else {
      const tPrev = previousTime(t, time.steps);
      const xPrev = ode.xAt(tPrev);
      const velocity = velocityOf(student, networkOptions);
      const net = (x: Tensor, tt: Tensor) => velocity(tf.div(x, sigmaData), tt); // F_θ⁻(x/σ_d, t)
      Fminus = net(xT, t);
      const FPrev = net(xPrev, tPrev);
      g = discreteTangent({ xT, t, F: Fminus, xPrev, tPrev, FPrev, dxdt: ode.dxdt, sigmaData, warmup: r });
    }
    const tangentNorm = perSampleNorm(g); // ‖g‖₂ before normalisation (diagnostics)
    const tangent = normalizeTangent(g, normalization, normalizationConstant); // Alg. 1: g/(‖g‖ + c)
    const target = tf.add(Fminus, tangent); // F⁻ + g, a constant of the gradient pass
    const D = xT.size / xT.shape[0]!;
    return {
      t,
      tangentNorm,
      tangent,
      warmup: r,
      objective(): ObjectiveOutput {
        const { F, logvar } = student(y, t, networkOptions);
        const perSample = tf.tidy(() => {
          // ‖F_θ − F⁻ − g‖² = ‖F_θ − target‖²; its value is ‖g‖² (F_θ = F⁻ in value).
          const squared = tf.sum(tf.reshape(tf.squaredDifference(F, target), [F.shape[0]!, -1]), 1); // [B]
          if (!adaptiveWeighting) return tf.div(squared, D);
          // Alg. 1: (e^{w_φ}/D)·‖·‖² − w_φ with w_φ = −logvar.
          return tf.add(tf.div(tf.mul(tf.exp(tf.neg(logvar)), squared), D), logvar);
        });
        F.dispose();
        return { perSample, logvar };
      },
    };
  };
}
