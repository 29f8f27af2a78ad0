// The one signature every objective of this package has (docs/style.md §7: interchangeable parts share a
// signature). A loss runs in two phases so that only F_θ and w_φ carry gradient (Alg. 1):
//   1. `loss(student, batch, context)` draws t, z, the dropout masks, and computes every constant
//      (x_t, the target, and for sCT/sCD the JVP pass F⁻, J and the tangent g) with no tape;
//   2. `prepared.objective()`, called under `tf.variableGrads`, runs the student once more and returns
//      the per-sample loss, so the tape holds exactly the gradient pass.
import type { Rng, Tensor } from "@scm/backend";
import type { NetworkFn } from "@scm/trigflow";

/** One training batch: data `x0` [B, ...] and, for class-conditional models, labels int32 [B]. */
export interface LossBatch {
  readonly x0: Tensor;
  readonly label?: Tensor | undefined;
}

/** Where the loss draws its randomness and which step it is on. */
export interface LossContext {
  /** Every draw of the step (t, z, label dropout, guidance scale, dropout masks) comes from here. */
  readonly rng: Rng;
  /** The number of optimisation steps before this one (tangent warmup r = min(1, step/H)). */
  readonly step: number;
}

/** What the differentiable phase returns, per sample. */
export interface ObjectiveOutput {
  /** The per-sample loss [B]; the step minimises its batch mean. */
  readonly perSample: Tensor;
  /** The network's `logvar` head [B] (EDM2's u(t); the paper's w_φ(t) = −logvar). */
  readonly logvar: Tensor;
}

/** The constants of one step, and the closure that runs the differentiable pass on them. */
export interface PreparedLoss {
  /** The sampled times t [B]. */
  readonly t: Tensor;
  /** ‖g‖₂ per sample before normalisation [B] (sCT/sCD; absent for the diffusion loss). */
  readonly tangentNorm?: Tensor | undefined;
  /** The normalised tangent g [B, ...], the target being F⁻ + g (sCT/sCD; absent for the diffusion loss). */
  readonly tangent?: Tensor | undefined;
  /** The tangent-warmup factor r of this step (sCT/sCD; absent for the diffusion loss). */
  readonly warmup?: number | undefined;
  /** Runs the student with gradient and returns the per-sample loss; call it under the tape. */
  objective(): ObjectiveOutput;
}

/**
 * A training objective: draws and computes the step's constants (no gradient) and returns them with
 * the differentiable `objective`. The returned tensors are fresh; run it inside `tf.tidy`.
 */
export type Loss = (student: NetworkFn, batch: LossBatch, context: LossContext) => PreparedLoss;
