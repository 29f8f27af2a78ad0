// The two sentences most errors say: "x is A; expected B." and "x has shape [..]; expected B.".
import { formatShape } from "./format.js";
import { ScmError } from "./scm-error.js";

/** An input that is not what was expected, other than by its shape: a count, an option, a range. */
export class InputError extends ScmError {
  static override readonly tag: string = "InputError";
  /** The input, as the caller wrote it (the same as `input`). */
  readonly argument: string;
  constructor(
    override readonly input: string,
    /** What it was, as text. */
    override readonly actual: string,
    /** What was expected, as a phrase. */
    override readonly expected: string,
  ) {
    super(`${input} is ${actual}; expected ${expected}.`, { input, actual, expected });
    this.argument = input;
  }
}

/** A tensor's shape is not the one expected (a tangent against its primal, an op's argument, x against t). */
export class ShapeError extends ScmError {
  static override readonly tag: string = "ShapeError";
  /** The input, as the caller wrote it (`tangents[1]`; the same as `input`). */
  readonly argument: string;
  constructor(
    override readonly input: string,
    /** The shape it had. */
    override readonly actual: readonly number[],
    /** The expected shape, or a phrase describing it (`[4, 3], the shape of x0`). */
    override readonly expected: readonly number[] | string,
  ) {
    const want = typeof expected === "string" ? expected : formatShape(expected);
    super(`${input} has shape ${formatShape(actual)}; expected ${want}.`, { input, actual, expected });
    this.argument = input;
  }
}
