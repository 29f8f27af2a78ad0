// Typed errors of @scm/nets, on the project's one base (@scm/errors): apps turn a ConfigError into a
// flag-level message and may list a WeightsError's mismatches (the project's shared WeightsError); a
// NetworkInputError is a bad tensor handed to a network call.
import { InputError, ScmError } from "@scm/errors";

export { WeightsError, type WeightsMismatch } from "@scm/errors";

/** A network config field is missing, unknown, or out of range. */
export class ConfigError extends ScmError {
  static override readonly tag: string = "ConfigError";
  constructor(
    /** The field's path, as JSON would write it (`channelMult[1]`). */
    readonly field: string,
    /** What it was, as text. */
    override readonly actual: string,
    /** What was expected, as a phrase. */
    override readonly expected: string,
  ) {
    super(`Config field ${field} is ${actual}; expected ${expected}.`, { input: field, actual, expected });
  }
}

/** A tensor passed to a network (x, t, label, guidance) or a missing parameter has the wrong form. */
export class NetworkInputError extends InputError {
  static override readonly tag: string = "NetworkInputError";
}
