// --help text generated from the option table, so it always lists every flag.
import { flagOf, type OptionSpec, type OptionTable } from "./options.js";

function argument(spec: OptionSpec): string {
  if (spec.type === "boolean") return "";
  if (spec.type === "string" && spec.choices) return ` ${spec.choices.join("|")}`;
  return spec.type === "number" ? " N" : " VALUE";
}

/** Formats a command's help: usage lines, then every flag with its doc and default. */
export function formatHelp(
  usage: string,
  table: OptionTable,
  groups?: Readonly<Record<string, readonly string[]>>,
): string {
  const rows: [string, string][] = [];
  const keys = groups ? Object.values(groups).flat() : Object.keys(table);
  const line = (key: string) => {
    const spec = table[key]!;
    const repeat = spec.type === "string" && spec.multiple ? " (repeatable)" : "";
    const shown = spec.default !== undefined ? ` (default ${spec.default})` : "";
    const flag = spec.type === "boolean" ? `${flagOf(key)}, --no-${flagOf(key).slice(2)}` : flagOf(key);
    rows.push([`  ${flag}${argument(spec)}`, `${spec.doc}${repeat}${shown}`]);
  };
  const out: string[] = [usage.trimEnd(), ""];
  const width = () => Math.min(44, Math.max(...rows.map(([a]) => a.length)) + 2);
  if (groups) {
    for (const [title, group] of Object.entries(groups)) {
      rows.push([`${title}:`, ""]);
      for (const key of group) line(key);
    }
  } else {
    for (const key of keys) line(key);
  }
  rows.push(["  --config FILE", "a JSON object of settings (keys as in config.json), applied before flags"]);
  rows.push(["  -h, --help", "print this help"]);
  const w = width();
  for (const [a, b] of rows)
    out.push(b === "" ? a : a.length >= w ? `${a}\n${" ".repeat(w)}${b}` : a.padEnd(w) + b);
  return `${out.join("\n")}\n`;
}
