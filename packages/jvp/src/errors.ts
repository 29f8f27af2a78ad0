// Typed errors of @scm/jvp, on the project's one base (@scm/errors): callers (the nets, the losses,
// the apps) may branch on the class or on `isInstance`. `ShapeError` is the project's shared one.
import { formatShape, InputError, ScmError } from "@scm/errors";

export { ShapeError } from "@scm/errors";

/** A tfjs kernel ran inside `jvp` on a tensor that carries a tangent, outside any op with a JVP rule. */
export class MissingJvpRuleError extends ScmError {
  static override readonly tag: string = "MissingJvpRuleError";
  constructor(
    /** The tfjs kernel (or custom-gradient scope) that ran. */
    readonly op: string,
    /** The kernel's input name that carries a tangent. */
    override readonly input: string,
    /** That input's shape. */
    readonly shape: readonly number[],
  ) {
    super(
      `tfjs op "${op}" ran inside jvp on input "${input}" (shape ${formatShape(shape)}) that carries a ` +
        "tangent; expected an op of @scm/jvp, which has a JVP rule, instead of a direct tfjs call.",
      { input, actual: `tfjs op "${op}"`, expected: "an op of @scm/jvp" },
    );
  }
}

/** A tensor's dtype is not the one expected (tangents and differentiated primals are float32). */
export class DtypeError extends ScmError {
  static override readonly tag: string = "DtypeError";
  constructor(
    readonly argument: string,
    override readonly actual: string,
    override readonly expected: string,
  ) {
    super(`${argument} has dtype ${actual}; expected ${expected}.`, { input: argument, actual, expected });
  }
}

/** An argument that is neither a shape nor a dtype problem: a count, an option, a number's range. */
export class JvpArgumentError extends InputError {
  static override readonly tag: string = "JvpArgumentError";
}
