// Algorithm 1 of Lu & Song 2024 (§4.2, docs/math.md §2), top to bottom in this one file: the
// continuous-time consistency objective, with sCT and sCD (at the end) differing only in dx_t/dt.
//   x0 ~ data;  t ← proposal(rng, B) (τ ~ N(P_mean, P_std²), t = arctan(e^τ/σ_d));  z ~ N(0, σ_d² I)
//   x_t ← cos t·x0 + sin t·z                                               (§3)
//   dx_t/dt ← cos t·z − sin t·x0 (sCT)  or  σ_d·F_pretrain(x_t/σ_d, t) (sCD)
//   r ← min(1, Iters/H)                                                    (tangent warmup)
//   (F⁻, J) ← jvp(F_θ⁻, (x_t/σ_d, t), (cos t sin t·dxdt/σ_d, cos t sin t))
//   g ← −cos²t·(σ_d F⁻ − dxdt) − r·(cos t sin t·x_t + σ_d J)
//   g ← g/(‖g‖₂ + c)                                                       (tangent normalisation)
//   L ← (e^{w_φ}/D)·‖F_θ(x_t/σ_d, t) − F⁻ − g‖² − w_φ                      (adaptive weighting)
//   (θ, φ) ← (θ, φ) − η∇L;  Iters ← Iters + 1                              (trainer.ts: the optimizer step)
// t is drawn before z (the paper lists z first): the Rng's order, which resumed runs depend on.
// Only F_θ and w_φ carry gradient: F⁻ and g are computed before the tape starts (types.ts).
// w_φ(t) = −logvar: the network's head is EDM2's log-variance u (as for the teacher, so a student
// initialised from a teacher starts from its head), and e^{w}·L − w = e^{−u}·L + u.
// The discrete-time ablation (App. E) replaces the JVP and g by a finite difference (discrete.ts).
// Shapes: x_t, z, F⁻, J, dxdt, g are [B, ...]; t, ‖g‖ and the per-sample loss are [B].
import { type Rng, randomUniform, type Tensor, tf } from "@scm/backend";
import { jvp } from "@scm/jvp";
import { type NetworkFn, type NetworkOptions, timeColumn, velocityOf } from "@scm/trigflow";
import { forwardProcessUnchecked, velocityTargetUnchecked } from "@scm/trigflow/unchecked";
import { checkDiscreteTime, type DiscreteTime, discreteTangent, previousTime } from "./discrete.js";
import { LossConfigError } from "./errors.js";
import { checkNullLabel } from "./label-dropout.js";
import { checkBatch, drawNoisyBatch, resolveTimes, type TimesLike } from "./noisy-batch.js";
import type { Loss, LossBatch, ObjectiveOutput, PreparedLoss } from "./types.js";

/** How g is tamed before it enters the target (§4.2): the paper's L2 form, an RMS form, clipping, or none. */
export type TangentNormalization = "l2" | "rms" | "clip" | "none";

/** The tangent normalisations by name. */
export const tangentNormalizations: readonly TangentNormalization[] = ["l2", "rms", "clip", "none"];

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
    // x0 ~ data; t ← proposal(rng, B); z ~ N(0, σ_d² I); x_t ← cos t·x0 + sin t·z
    const { t, z, xT } = drawNoisyBatch(rng, batch.x0, times, sigmaData);
    const ode = direction({ batch, rng, t, z, xT, sigmaData }); // dx_t/dt: sCT or sCD (below)
    const networkOptions: NetworkOptions = {
      label: batch.label,
      guidance: ode.guidance,
      dropout: dropout ? rng.fork() : undefined, // one Rng: identical masks in every pass (docs/math.md §3)
    };
    const r = tangentWarmup(step, H); // r ← min(1, Iters/H)
    const y = tf.div(xT, sigmaData); // x_t/σ_d
    let Fminus: Tensor;
    let g: Tensor;
    if (time === "continuous") {
      // (F⁻, J) ← jvp(F_θ⁻, …); g ← −cos²t·(σ_d F⁻ − dxdt) − r·(cos t sin t·x_t + σ_d J)
      const { F, J } = rearrangedJvp(student, xT, t, ode.dxdt, sigmaData, networkOptions);
      Fminus = F;
      g = consistencyTangent({ xT, t, F, J, dxdt: ode.dxdt, sigmaData, warmup: r });
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
    const tangent = normalizeTangent(g, normalization, normalizationConstant); // g ← g/(‖g‖₂ + c)
    const target = tf.add(Fminus, tangent); // F⁻ + g, a constant of the gradient pass
    return {
      t,
      tangentNorm,
      tangent,
      warmup: r,
      objective(): ObjectiveOutput {
        const { F, logvar } = student(y, t, networkOptions); // F_θ(x_t/σ_d, t), w_φ = −logvar
        const perSample = weightedSquaredError(F, target, logvar, adaptiveWeighting); // L
        F.dispose();
        return { perSample, logvar };
      },
    };
  };
}

// ── r: tangent warmup ────────────────────────────────────────────────────────────────────────────

/** The tangent-warmup factor r = min(1, step/H) (§4.2); H = 0 means no warmup (r = 1). */
export function tangentWarmup(step: number, iterations: number): number {
  if (!(Number.isInteger(step) && step >= 0)) throw new LossConfigError("step", step, "an integer ≥ 0");
  checkWarmupIterations(iterations);
  return iterations === 0 ? 1 : Math.min(1, step / iterations); // Alg. 1: r ← min(1, Iters/H)
}

/** Checks H, the number of tangent-warmup iterations. */
function checkWarmupIterations(iterations: number): void {
  if (!(Number.isInteger(iterations) && iterations >= 0)) {
    throw new LossConfigError(
      "tangentWarmup",
      iterations,
      "an integer number of iterations ≥ 0 (0: no warmup)",
    );
  }
}

// ── (F⁻, J): the JVP with the rearranged tangents ────────────────────────────────────────────────
// The paper writes the tangents as (cos t sin t·dxdt, cos t sin t·σ_d) with σ_d carried by the output;
// this form is the same number (docs/math.md §2). cos t·sin t is never divided back out: it keeps the
// intermediate tangents bounded as t → 0 and t → π/2.

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

// ── g: the tangent ───────────────────────────────────────────────────────────────────────────────

/** The inputs of `consistencyTangent`; all tensors [B, ...] except `t` [B]. */
export interface TangentInputs {
  /** x_t. */
  readonly xT: Tensor;
  /** t [B]. */
  readonly t: Tensor;
  /** F⁻ = F_θ⁻(x_t/σ_d, t), the JVP's primal output. */
  readonly F: Tensor;
  /** J = cos t·sin t·dF⁻/dt, the JVP's tangent output with the rearranged tangents. */
  readonly J: Tensor;
  /** dx_t/dt: v_t (sCT) or σ_d·F_teacher (sCD). */
  readonly dxdt: Tensor;
  /** σ_d. */
  readonly sigmaData: number;
  /** The warmup factor r ∈ [0, 1]. */
  readonly warmup: number;
}

/**
 * g = −cos²t·(σ_d·F⁻ − dxdt) − r·(cos t·sin t·x_t + σ_d·J) (Alg. 1), before normalisation. With r = 1
 * this is cos t·df⁻/dt (f of Eq. 5): the cos t is the prior weighting 1/(σ_d·tan t) times σ_d·sin t,
 * so no extra 1/σ weight is applied (some public code adds one; Alg. 1 does not).
 */
export function consistencyTangent({ xT, t, F, J, dxdt, sigmaData, warmup }: TangentInputs): Tensor {
  return tf.tidy(() => {
    const tc = timeColumn(t, xT.rank); // [B, 1, …]
    const [cos, sin] = [tf.cos(tc), tf.sin(tc)];
    const first = tf.mul(tf.neg(tf.square(cos)), tf.sub(tf.mul(F, sigmaData), dxdt)); // −cos²t·(σ_d F⁻ − dxdt)
    const second = tf.add(tf.mul(tf.mul(cos, sin), xT), tf.mul(J, sigmaData)); // cos t sin t·x_t + σ_d J
    return tf.sub(first, tf.mul(second, warmup));
  });
}

// ── g/(‖g‖ + c): tangent normalisation ───────────────────────────────────────────────────────────

/** ‖g‖₂ over all D dims of each sample: [B, ...] → [B]. */
export function perSampleNorm(g: Tensor): Tensor {
  return tf.tidy(() => tf.sqrt(tf.sum(tf.square(tf.reshape(g, [g.shape[0]!, -1])), 1)));
}

/**
 * Normalises g per sample (§4.2): `l2` g/(‖g‖₂ + c) (Alg. 1, c = 0.1), `rms` g/(‖g‖₂/√D + c),
 * `clip` each element clipped to [−1, 1] (the paper's alternative), `none` g unchanged.
 */
export function normalizeTangent(g: Tensor, mode: TangentNormalization, c = 0.1): Tensor {
  checkNormalization(mode, c);
  return tf.tidy(() => {
    if (mode === "none") return tf.clone(g);
    if (mode === "clip") return tf.clipByValue(g, -1, 1);
    const D = g.size / g.shape[0]!;
    let norm = perSampleNorm(g); // [B]
    if (mode === "rms") norm = tf.div(norm, Math.sqrt(D));
    return tf.div(g, timeColumn(tf.add(norm, c), g.rank)); // Alg. 1: g ← g/(‖g‖ + c)
  });
}

/** Checks a normalisation mode and its constant c > 0. */
function checkNormalization(mode: TangentNormalization, c: number): void {
  if (!tangentNormalizations.includes(mode)) {
    throw new LossConfigError(
      "normalization",
      JSON.stringify(mode),
      `one of ${tangentNormalizations.join(", ")}`,
    );
  }
  if (!(Number.isFinite(c) && c > 0))
    throw new LossConfigError("normalizationConstant", c, "a finite number > 0");
}

// ── L: the adaptive-weighted loss ────────────────────────────────────────────────────────────────

/**
 * L = (e^{w_φ}/D)·‖F_θ − (F⁻ + g)‖² − w_φ per sample with w_φ = −logvar (Alg. 1), or ‖·‖²/D without
 * adaptive weighting: F, target [B, ...], logvar [B] → [B]. The squared term's value is ‖g‖² (F_θ = F⁻
 * in value); its gradient is −2·gᵀ∂F_θ/∂θ.
 */
function weightedSquaredError(F: Tensor, target: Tensor, logvar: Tensor, adaptiveWeighting: boolean): Tensor {
  return tf.tidy(() => {
    const D = F.size / F.shape[0]!;
    const squared = tf.sum(tf.reshape(tf.squaredDifference(F, target), [F.shape[0]!, -1]), 1); // [B]
    if (!adaptiveWeighting) return tf.div(squared, D);
    return tf.add(tf.div(tf.mul(tf.exp(tf.neg(logvar)), squared), D), logvar); // e^{−u}·‖·‖²/D + u
  });
}

// ── dx_t/dt: sCT and sCD, the only difference between them ──────────────────────────────────────

/** Options of `sctLoss` (all of Algorithm 1's; see `ConsistencyLossOptions`). */
export type SctLossOptions = ConsistencyLossOptions;

/**
 * sCT (Alg. 1): dx_t/dt is the conditional velocity v_t = cos t·z − sin t·x0 of the sampled pair
 * (Eq. 4), an unbiased estimate of the PF-ODE's; a `Loss`. Unchecked twins: t, t' and z are the
 * loss's own draws, x0 is checked in the trainer's one read.
 */
export function sctLoss(options: SctLossOptions = {}): Loss {
  return consistencyLoss(options, ({ batch, t, z }) => ({
    dxdt: velocityTargetUnchecked(batch.x0, z, t), // dxdt = cos t·z − sin t·x0
    xAt: (tPrev) => forwardProcessUnchecked(batch.x0, z, tPrev), // App. E: the same pair at t'
  }));
}

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

/**
 * sCD (Alg. 1): dx_t/dt = σ_d·F_teacher(x_t/σ_d, t) from the teacher's (EMA) weights; with
 * classifier-free guidance (§4.2) σ_d·(F_u + s·(F_c − F_u)), s ~ U[1, s_max] per sample, and the
 * student receives s as its `guidance` input; a `Loss`.
 */
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
      dxdt = tf.mul(F, sigmaData); // dxdt = σ_d·F_teacher(x_t/σ_d, t)
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
