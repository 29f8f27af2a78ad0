// sCT, continuous-time consistency training (Alg. 1): dx_t/dt is the conditional velocity
// v_t = cos t·z − sin t·x0 of the sampled pair (Eq. 4), an unbiased estimate of the PF-ODE's.
// Unchecked twins: t, t' and z are the loss's own draws, x0 is checked in the trainer's one read.
import { forwardProcessUnchecked, velocityTargetUnchecked } from "@scm/trigflow/unchecked";
import { type ConsistencyLossOptions, consistencyLoss } from "./consistency.js";
import type { Loss } from "./types.js";

/** Options of `sctLoss` (all of Algorithm 1's; see `ConsistencyLossOptions`). */
export type SctLossOptions = ConsistencyLossOptions;

/** The sCT loss of Algorithm 1 with dxdt = cos t·z − sin t·x0; a `Loss`. */
export function sctLoss(options: SctLossOptions = {}): Loss {
  return consistencyLoss(options, ({ batch, t, z }) => ({
    dxdt: velocityTargetUnchecked(batch.x0, z, t), // Alg. 1 (sCT): dxdt = cos t·z − sin t·x0
    xAt: (tPrev) => forwardProcessUnchecked(batch.x0, z, tPrev), // App. E: the same pair at t'
  }));
}
