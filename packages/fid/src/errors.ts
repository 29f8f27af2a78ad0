// Typed errors of @scm/fid: each message is one sentence naming the input, what it was, and what was
// expected, so the CLI can print it as is.

/** An array given to a metric or a statistics file has the wrong shape, dtype or values. */
export class FidInputError extends Error {
  override readonly name = "FidInputError";
  constructor(
    /** Which input was wrong (`features`, `sigma`, a file path). */
    readonly input: string,
    message: string,
  ) {
    super(message);
  }
}

/** A weights file is missing, malformed, or lacks a parameter the network needs. */
export class WeightsError extends Error {
  override readonly name = "WeightsError";
  constructor(
    /** Where the weights were looked for (a path, or a description). */
    readonly source: string,
    message: string,
  ) {
    super(message);
  }
}

/** A PyTorch checkpoint (pickle stream) uses something this reader does not understand. */
export class TorchPickleError extends Error {
  override readonly name = "TorchPickleError";
}
