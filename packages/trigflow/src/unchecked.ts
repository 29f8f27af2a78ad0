// @scm/trigflow/unchecked: the functions of the main entry that a training step or a sampler calls on
// tensors it made itself, without the input checks that read the device (NaN in x0, z, x_t and F; a
// tensor t's range). For callers that guarantee their inputs (@scm/losses: t from `sampleTime`, z from
// the Rng, and a batch it checks in the trainer's one read; the samplers: their own states, network
// outputs and re-noising draws; @scm/runs' `generate`: noise it drew with `sampleNoise` on a grid from
// `consistencyTimes`/`edmTimeGrid`); anyone else should use `@scm/trigflow`, whose functions check and
// then call these.
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
// `velocityTarget`, `denoiserFromF`, `consistencyFunction`, `noiseFromF` and every sampler (`runSampler`
// is `checks + runSamplerUnchecked`), so the two paths give the same bits.
export { forwardProcessUnchecked, velocityTargetUnchecked } from "./forward.js";
export {
  consistencyFunctionUnchecked,
  denoiserFromFUnchecked,
  noiseFromFUnchecked,
} from "./parameterization.js";
export { samplersUnchecked } from "./samplers/table.js";
