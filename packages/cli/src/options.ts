// One typed table of options: each key is a config field (camelCase, as in JSON config files) and a
// flag (kebab-case). Types, defaults, bounds and help text live in one place.
import { UsageError } from "./errors.js";

interface Common {
  /** One line for --help. */
  readonly doc: string;
}
/** A numeric option. */
export interface NumberOption extends Common {
  readonly type: "number";
  readonly default?: number;
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
}
/** A string option, optionally restricted to choices; `multiple` makes it repeatable (a list of strings). */
export interface StringOption extends Common {
  readonly type: "string";
  readonly default?: string | readonly string[];
  readonly choices?: readonly string[];
  readonly multiple?: boolean;
}
/** An on/off option (`--flag` / `--no-flag`). */
export interface BooleanOption extends Common {
  readonly type: "boolean";
  readonly default?: boolean;
}
/** Any option. */
export type OptionSpec = NumberOption | StringOption | BooleanOption;
/** A table of options keyed by config field. */
export type OptionTable = Readonly<Record<string, OptionSpec>>;

type StringOf<O> = O extends { readonly choices: readonly (infer C)[] } ? C : string;
type ValueOf<O extends OptionSpec> = O extends NumberOption
  ? number
  : O extends BooleanOption
    ? boolean
    : O extends { readonly multiple: true }
      ? StringOf<O>[]
      : StringOf<O>;

/** The resolved config of a table: options with a default are always set, others may be undefined. */
export type ConfigOf<T extends OptionTable> = {
  -readonly [K in keyof T]: T[K] extends { readonly default: unknown }
    ? ValueOf<T[K]>
    : ValueOf<T[K]> | undefined;
};

/** The flag of a config field: `batchSize` → `--batch-size`. */
export function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function expected(spec: OptionSpec): string {
  if (spec.type === "boolean") return "true or false";
  if (spec.type === "string") {
    const one = spec.choices ? `one of ${spec.choices.join(", ")}` : "a string";
    if (!spec.multiple) return one;
    return spec.choices ? `a list of strings, each ${one}` : "a list of strings";
  }
  const kind = spec.integer ? "an integer" : "a number";
  if (spec.min !== undefined && spec.max !== undefined) return `${kind} in [${spec.min}, ${spec.max}]`;
  if (spec.min !== undefined) return `${kind} ≥ ${spec.min}`;
  if (spec.max !== undefined) return `${kind} ≤ ${spec.max}`;
  return `a finite ${kind.replace(/^an? /, "")}`;
}

/** Checks one value against its spec; `where` names its source (a flag, a file) for the message. */
export function checkValue(key: string, spec: OptionSpec, value: unknown, where: string): unknown {
  const fail = () =>
    new UsageError(
      `${key} (${flagOf(key)}) from ${where} is ${JSON.stringify(value)}; expected ${expected(spec)}.`,
    );
  if (spec.type === "boolean") {
    if (typeof value !== "boolean") throw fail();
  } else if (spec.type === "string") {
    const ok = (v: unknown) => typeof v === "string" && (!spec.choices || spec.choices.includes(v));
    if (spec.multiple ? !Array.isArray(value) || !value.every(ok) : !ok(value)) throw fail();
  } else {
    if (typeof value !== "number" || !Number.isFinite(value)) throw fail();
    if (spec.integer && !Number.isInteger(value)) throw fail();
    if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max))
      throw fail();
  }
  return value;
}
