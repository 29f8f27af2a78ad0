// Typed errors of @scm/trigflow, on the project's one base (@scm/errors): callers may branch on the
// class or on `isInstance`; the message is one sentence naming the input, what it was and what was
// expected.
import { formatValue, ScmError, ShapeError } from "@scm/errors";

/** An input of @scm/trigflow is out of range or not finite (t outside [0, π/2], σ_d ≤ 0, NaN). */
export class TrigflowRangeError extends ScmError {
  static override readonly tag: string = "TrigflowRangeError";
  constructor(
    /** The input's name as the caller wrote it (`t`, `sigmaData`, `x0`). */
    override readonly input: string,
    /** The offending value: a number (NaN for a tensor holding non-finite values) or a time grid. */
    readonly value: unknown,
    /** What was expected, in words. */
    override readonly expected: string,
    detail = `is ${formatValue(value)}`,
  ) {
    super(`${input} ${detail}; expected ${expected}.`, { input, actual: value, expected });
  }
}

/** Tensor inputs of @scm/trigflow have shapes that do not fit together. */
export class TrigflowShapeError extends ShapeError {
  static override readonly tag: string = "TrigflowShapeError";
  constructor(
    /** The input's name (`z`, `t`, `the velocity callback's output`). */
    input: string,
    /** The shape it had. */
    readonly shape: readonly number[],
    /** What was expected, in words (`[4, 3], the shape of x0`). */
    override readonly expected: string,
  ) {
    super(input, shape, expected);
  }
}
