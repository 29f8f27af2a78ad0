// @scm/trigflow/unchecked: the functions of the main entry that a training step or a sampler calls on
// tensors it made itself, without the input checks that read the device (NaN in x0, z, x_t and F; a
// tensor t's range). For callers that guarantee their inputs (@scm/losses: t from `sampleTime`, z from
// the Rng, and a batch it checks in the trainer's one read; the samplers: their own states, network
// outputs and re-noising draws); anyone else should use `@scm/trigflow`, whose functions check and
// then call these. The samplers need no twins: their one read, the noise check, is skipped for noise
// `sampleNoise` drew (samplers/run.ts), so `generate` runs the public `samplers` and reads nothing.
//
// Why this shape: a twin per function, on an entry of its own, is chosen over
//  - a global "validation off" switch: mutable state shared by every caller (a sampler running beside
//    an awaited training step would lose its checks too), and invisible at the call site;
//  - an `{ check: false }` option on the public functions: it widens every public signature, invites
//    users to turn off the one clear error a bad input gets, and reads like the checked call;
//  - a module the checked wrappers call, kept internal: @scm/losses is another package, so it needs an
//    export; a separate entry keeps the main surface (and its README table) unchanged and makes the
//    trust decision visible in the import. The `Unchecked` suffix keeps it visible at the call site.
// The math is written once: `forwardProcess` is `checks + forwardProcessUnchecked`, likewise for
// `velocityTarget`, `consistencyFunction` (= `denoiserFromF`) and `noiseFromF`, so the two paths give
// the same bits. Why each twin stays: x0 in a training step is the user's batch, checked by a flag in
// the trainer's one read, which comes after these calls; a sampler's x_t and F are its own, per step.
export { forwardProcessUnchecked, velocityTargetUnchecked } from "./forward.js";
export {
  consistencyFunctionUnchecked,
  denoiserFromFUnchecked,
  noiseFromFUnchecked,
} from "./parameterization.js";
