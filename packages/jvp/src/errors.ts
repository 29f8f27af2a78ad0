// Typed errors of @scm/jvp: callers (the nets, the losses, the apps) may branch on the class.

/** A tfjs kernel ran inside `jvp` on a tensor that carries a tangent, outside any op with a JVP rule. */
export class MissingJvpRuleError extends Error {
  override readonly name = "MissingJvpRuleError";
  constructor(
    /** The tfjs kernel (or custom-gradient scope) that ran. */
    readonly op: string,
    /** The kernel's input name that carries a tangent. */
    readonly input: string,
    /** That input's shape. */
    readonly shape: readonly number[],
  ) {
    super(
      `tfjs op "${op}" ran inside jvp on input "${input}" (shape [${shape.join(", ")}]) that carries a ` +
        "tangent; expected an op of @scm/jvp, which has a JVP rule, instead of a direct tfjs call.",
    );
  }
}

/** A tensor's shape is not the one expected (a tangent against its primal, an op's argument). */
export class ShapeError extends Error {
  override readonly name = "ShapeError";
  constructor(
    /** The argument, as the caller wrote it (`tangents[1]`). */
    readonly argument: string,
    readonly actual: readonly number[],
    /** The expected shape, or a phrase describing it. */
    readonly expected: readonly number[] | string,
  ) {
    const want = typeof expected === "string" ? expected : `[${expected.join(", ")}]`;
    super(`${argument} has shape [${actual.join(", ")}]; expected ${want}.`);
  }
}

/** A tensor's dtype is not the one expected (tangents and differentiated primals are float32). */
export class DtypeError extends Error {
  override readonly name = "DtypeError";
  constructor(
    readonly argument: string,
    readonly actual: string,
    readonly expected: string,
  ) {
    super(`${argument} has dtype ${actual}; expected ${expected}.`);
  }
}

/** An argument that is neither a shape nor a dtype problem: a count, an option, a number's range. */
export class JvpArgumentError extends Error {
  override readonly name = "JvpArgumentError";
  constructor(
    readonly argument: string,
    readonly actual: string,
    readonly expected: string,
  ) {
    super(`${argument} is ${actual}; expected ${expected}.`);
  }
}
