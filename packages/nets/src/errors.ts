// Typed errors of @scm/nets: apps turn a ConfigError into a flag-level message and may list a
// WeightsError's mismatches; a NetworkInputError is a bad tensor handed to a network call.

/** A network config field is missing, unknown, or out of range. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    /** The field's path, as JSON would write it (`channelMult[1]`). */
    readonly field: string,
    /** What it was, as text. */
    readonly actual: string,
    /** What was expected, as a phrase. */
    readonly expected: string,
  ) {
    super(`Config field ${field} is ${actual}; expected ${expected}.`);
  }
}

/** One way a weights file disagrees with the parameters a config defines. */
export interface WeightsMismatch {
  readonly name: string;
  /** "missing" from the file, "unexpected" in it, a "shape" or "dtype" that differs, or a "config" field. */
  readonly kind: "missing" | "unexpected" | "shape" | "dtype" | "config";
  readonly actual?: string;
  readonly expected?: string;
}

/** A weights file's tensors do not match the config's parameters; `mismatches` lists every difference. */
export class WeightsError extends Error {
  override readonly name = "WeightsError";
  constructor(readonly mismatches: readonly WeightsMismatch[]) {
    const shown = mismatches.slice(0, 8).map((m) => {
      if (m.kind === "missing") return `${m.name} missing`;
      if (m.kind === "unexpected") return `${m.name} unexpected`;
      if (m.kind === "config") return `${m.name} is ${m.actual} in the file, expected ${m.expected}`;
      return `${m.name} has ${m.kind} ${m.actual}, expected ${m.expected}`;
    });
    const more = mismatches.length > 8 ? `, and ${mismatches.length - 8} more` : "";
    super(
      `The weights do not match the config in ${mismatches.length} place(s) (${shown.join("; ")}${more}); ` +
        "expected exactly the config's parameter names, shapes and architecture.",
    );
  }
}

/** A tensor passed to a network (x, t, label, guidance) or a missing parameter has the wrong form. */
export class NetworkInputError extends Error {
  override readonly name = "NetworkInputError";
  constructor(
    readonly argument: string,
    readonly actual: string,
    readonly expected: string,
  ) {
    super(`${argument} is ${actual}; expected ${expected}.`);
  }
}
