// Typed errors of @scm/fid, on the project's one base (@scm/errors): each message is one sentence
// naming the input, what it was, and what was expected, so the CLI can print it as is. `WeightsError`
// is the project's shared one.
import { ScmError } from "@scm/errors";

export { WeightsError } from "@scm/errors";

/** An array given to a metric or a statistics file has the wrong shape, dtype or values. */
export class FidInputError extends ScmError {
  static override readonly tag: string = "FidInputError";
  constructor(
    /** Which input was wrong (`features`, `sigma`, a file path). */
    override readonly input: string,
    message: string,
  ) {
    super(message, { input });
  }
}

/** A PyTorch checkpoint (pickle stream) uses something this reader does not understand. */
export class TorchPickleError extends ScmError {
  static override readonly tag: string = "TorchPickleError";
}
