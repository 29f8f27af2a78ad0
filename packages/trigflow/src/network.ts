// The network form every sCM-TS loss and sampler accepts: TrigFlow's F_θ(x_t/σ_d, t) (Eq. 3, §4.1),
// with the adaptive-weighting head beside it (§4.2). @scm/nets builds functions of this type; the
// losses and apps take them without knowing the architecture.
import type { Rng, Tensor } from "@scm/backend";
import type { VelocityFn } from "./samplers/types.js";

/** Conditioning and stochastic options of one network call. */
export interface NetworkOptions {
  /** Class labels, int32 `[B]`; the value `numClasses` is the null (unconditional) label. */
  readonly label?: Tensor | undefined;
  /** The classifier-free-guidance scale fed to an sCD student, float32 `[B]` (§4.2, sCD with CFG). */
  readonly guidance?: Tensor | undefined;
  /**
   * Dropout on, with masks drawn from `dropout.at(k)` for layer k: the same `Rng` gives the same masks,
   * so a JVP pass and the gradient pass see identical networks (docs/math.md §3). Absent: no dropout.
   */
  readonly dropout?: Rng | undefined;
}

/**
 * What a network returns: `F` with the input's shape, and `logvar` `[B]`, the adaptive-weighting head:
 * EDM2's uncertainty u(t), so the paper's weight is w_φ(t) = −logvar (Alg. 1: e^{w}/D·‖·‖² − w).
 */
// A type alias, not an interface: it must be assignable to index-signature types such as @scm/jvp's
// `Outputs`, which an interface is not.
export type NetworkOutput = {
  readonly F: Tensor;
  readonly logvar: Tensor;
};

/** A TrigFlow network: `(x_t/σ_d [B, ...], t [B], options) → { F, logvar }`. */
export type NetworkFn = (xOverSigmaD: Tensor, t: Tensor, options?: NetworkOptions) => NetworkOutput;

/** The sampler view of a network: its velocity `F` for fixed options; `logvar` is disposed. */
export function velocityOf(net: NetworkFn, options?: NetworkOptions): VelocityFn {
  return (x, t) => {
    const { F, logvar } = net(x, t, options);
    logvar.dispose();
    return F;
  };
}
