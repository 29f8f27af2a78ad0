// sCT, continuous-time consistency training (Alg. 1): dx_t/dt is the conditional velocity
// v_t = cos t·z − sin t·x0 of the sampled pair (Eq. 4), an unbiased estimate of the PF-ODE's.
import { forwardProcess, velocityTarget } from "@scm/trigflow";
import { type ConsistencyLossOptions, consistencyLoss } from "./consistency.js";
import type { Loss } from "./types.js";

/** Options of `sctLoss` (all of Algorithm 1's; see `ConsistencyLossOptions`). */
export type SctLossOptions = ConsistencyLossOptions;

/** The sCT loss of Algorithm 1 with dxdt = cos t·z − sin t·x0; a `Loss`. */
export function sctLoss(options: SctLossOptions = {}): Loss {
  return consistencyLoss(options, ({ batch, t, z }) => ({
    dxdt: velocityTarget(batch.x0, z, t), // Alg. 1 (sCT): dxdt = cos t·z − sin t·x0
    xAt: (tPrev) => forwardProcess(batch.x0, z, tPrev), // App. E: the same pair at t'
  }));
}
