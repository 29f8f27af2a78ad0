// Command-line flags from the option table, through node:util's strict parseArgs.
import { parseArgs } from "node:util";
import { UsageError } from "./errors.js";
import { flagOf, type OptionTable } from "./options.js";

/** Flags every command has besides its table. */
export interface CommonFlags {
  readonly help: boolean;
  readonly config?: string | undefined;
}

/** What the command line said: table values (typed), common flags and positionals. */
export interface ParsedFlags extends CommonFlags {
  readonly values: Record<string, unknown>;
  readonly positionals: string[];
}

function toNumber(key: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value)) {
    throw new UsageError(`${flagOf(key)} is "${raw}"; expected a number.`);
  }
  return value;
}

/** Parses argv against the table; unknown flags and malformed numbers are `UsageError`s. */
export function parseFlags(table: OptionTable, argv: readonly string[]): ParsedFlags {
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {
    help: { type: "boolean", short: "h" },
    config: { type: "string" },
  };
  for (const [key, spec] of Object.entries(table)) {
    const flag = flagOf(key).slice(2);
    options[flag] =
      spec.type === "string" && spec.multiple
        ? { type: "string", multiple: true }
        : { type: spec.type === "boolean" ? "boolean" : "string" };
    if (spec.type === "boolean") options[`no-${flag}`] = { type: "boolean" };
  }
  // parseArgs reads "--images -5" as a flag followed by another flag ("ambiguous"): a number-looking
  // value after a number flag is joined to it, so the table's own check speaks ("expected ≥ 1").
  const numberFlags = new Set(
    Object.entries(table)
      .filter(([, spec]) => spec.type === "number")
      .map(([key]) => flagOf(key)),
  );
  const args = argv.flatMap((arg, i) =>
    numberFlags.has(arg) && /^-[\d.]/.test(argv[i + 1] ?? "")
      ? [`${arg}=${argv[i + 1]}`]
      : i > 0 && numberFlags.has(argv[i - 1]!) && /^-[\d.]/.test(arg)
        ? []
        : [arg],
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    const message = (err as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown) throw new UsageError(`Unknown flag ${unknown[1]}; see --help for the valid ones.`);
    const missing = /Option '(\S+) <value>' argument missing/.exec(message);
    if (missing) throw new UsageError(`${missing[1]} has no value; expected ${missing[1]} VALUE.`);
    const extra = /Option '(\S+)' does not take an argument/.exec(message);
    if (extra)
      throw new UsageError(`${extra[1]} was given a value; expected ${extra[1]} alone (it is on/off).`);
    throw new UsageError(`${message.replace(/\.$/, "")}; see --help.`);
  }
  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(table)) {
    const flag = flagOf(key).slice(2);
    const raw = parsed.values[flag];
    if (spec.type === "boolean") {
      if (parsed.values[`no-${flag}`] === true) values[key] = false;
      else if (raw === true) values[key] = true;
    } else if (typeof raw === "string" || Array.isArray(raw)) {
      values[key] = spec.type === "number" ? toNumber(key, raw as string) : raw;
    }
  }
  return {
    help: parsed.values["help"] === true,
    config: parsed.values["config"] as string | undefined,
    values,
    positionals: parsed.positionals,
  };
}
