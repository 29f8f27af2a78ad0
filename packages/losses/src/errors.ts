// Typed errors of @scm/losses, on the project's one base (@scm/errors): callers (the apps) branch on
// the class or on `isInstance`; each message is one sentence naming the input, what it was and what
// was expected.
import { formatValue, ScmError } from "@scm/errors";

/** An option or input of a loss or of the trainer is out of range (a rate outside [0, 1), H < 0, …). */
export class LossConfigError extends ScmError {
  static override readonly tag: string = "LossConfigError";
  constructor(
    /** The option's name as the caller wrote it (`tangentWarmup`, `labelDropout.rate`). */
    override readonly input: string,
    /** The offending value. */
    readonly value: unknown,
    /** What was expected, in words. */
    override readonly expected: string,
  ) {
    super(`${input} is ${formatValue(value)}; expected ${expected}.`, { input, actual: value, expected });
  }
}

/** A training step produced a non-finite loss or gradient; the update was not applied. */
export class NonFiniteError extends ScmError {
  static override readonly tag: string = "NonFiniteError";
  constructor(
    /** The step (0-based count of steps before this one) that failed. */
    readonly step: number,
    /** The batch-mean loss of the step (NaN or ±Infinity when the loss is at fault). */
    readonly loss: number,
    /** The global L2 norm of the gradient before clipping. */
    readonly gradNorm: number,
  ) {
    super(
      `The step ${step} has loss ${loss} and gradient norm ${gradNorm}; expected both finite (the update was not applied).`,
      { input: `step ${step}`, actual: { loss, gradNorm }, expected: "a finite loss and gradient norm" },
    );
  }
}

/** An exported trainer state does not fit the trainer it is imported into. */
export class TrainerStateError extends ScmError {
  static override readonly tag: string = "TrainerStateError";
  constructor(
    /** The part of the state at fault (`tensors["adam.m.w"]`, `meta.version`). */
    override readonly input: string,
    /** What it was, in words. */
    override readonly actual: string,
    /** What was expected, in words. */
    override readonly expected: string,
  ) {
    super(`The trainer state's ${input} is ${actual}; expected ${expected}.`, { input, actual, expected });
  }
}

/** A trainer was called while one of its steps is still in flight (a `step` not yet settled). */
export class TrainerBusyError extends ScmError {
  static override readonly tag: string = "TrainerBusyError";
  constructor(
    /** The method that was called (`step`, `exportState`, `importState`, `dispose`). */
    readonly call: string,
    /** The index of the step in flight. */
    readonly pendingStep: number,
  ) {
    super(
      `${call} was called while the trainer's step ${pendingStep} is still in flight; expected that step to settle first (await it).`,
      { input: call, expected: "the step in flight to settle first" },
    );
  }
}
