// One error for weights that cannot be used, whichever network (a trained net, FID's feature nets)
// they were meant for.
import { ScmError } from "./scm-error.js";

/** One way a weights file disagrees with the parameters a config defines. */
export interface WeightsMismatch {
  readonly name: string;
  /** "missing" from the file, "unexpected" in it, a "shape" or "dtype" that differs, or a "config" field. */
  readonly kind: "missing" | "unexpected" | "shape" | "dtype" | "config";
  readonly actual?: string;
  readonly expected?: string;
}

/** How many mismatches a message lists before it says how many more there are. */
const SHOWN_MISMATCHES = 8;

/** A weights file is missing or malformed, or its tensors do not match the parameters a network needs. */
export class WeightsError extends ScmError {
  static override readonly tag: string = "WeightsError";
  constructor(
    /** Where the weights were looked for (a path, or a description such as `weights`). */
    readonly source: string,
    message: string,
    /** Every difference between the file and the config, when that is what is wrong. */
    readonly mismatches: readonly WeightsMismatch[] = [],
  ) {
    super(message, { input: source });
  }

  /** The error for tensors that differ from a config's parameters, listing the first mismatches. */
  static mismatched(mismatches: readonly WeightsMismatch[], source = "weights"): WeightsError {
    const shown = mismatches.slice(0, SHOWN_MISMATCHES).map((m) => {
      if (m.kind === "missing") return `${m.name} missing`;
      if (m.kind === "unexpected") return `${m.name} unexpected`;
      if (m.kind === "config") return `${m.name} is ${m.actual} in the file, expected ${m.expected}`;
      return `${m.name} has ${m.kind} ${m.actual}, expected ${m.expected}`;
    });
    const more =
      mismatches.length > SHOWN_MISMATCHES ? `, and ${mismatches.length - SHOWN_MISMATCHES} more` : "";
    return new WeightsError(
      source,
      `The weights do not match the config in ${mismatches.length} place(s) (${shown.join("; ")}${more}); ` +
        "expected exactly the config's parameter names, shapes and architecture.",
      mismatches,
    );
  }
}
