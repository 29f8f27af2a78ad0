// Config resolution: defaults < preset < config file < flags, every layer checked field by field.
import { readFile } from "node:fs/promises";
import { UsageError } from "./errors.js";
import { type ConfigOf, checkValue, flagOf, type OptionTable } from "./options.js";
import type { ParsedFlags } from "./parse.js";

/** One source of settings, named for error messages ("preset mnist", "config.json", "the command line"). */
export interface ConfigLayer {
  readonly source: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** Merges the layers over the table's defaults; an unknown key or a bad value is a `UsageError` naming it. */
export function resolveConfig<T extends OptionTable>(table: T, layers: readonly ConfigLayer[]): ConfigOf<T> {
  const config: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(table)) {
    if (spec.default !== undefined) config[key] = spec.default;
  }
  for (const { source, values } of layers) {
    for (const [key, value] of Object.entries(values)) {
      const spec = table[key];
      if (spec === undefined) {
        throw new UsageError(
          `${source} sets "${key}", which is not a setting; see --help for the valid ones.`,
        );
      }
      if (value === undefined) continue;
      config[key] = checkValue(key, spec, value, source);
    }
  }
  return config as ConfigOf<T>;
}

/** Parses a JSON config file's text into a layer; the file must hold one object. */
export function configFileLayer(path: string, text: string): ConfigLayer {
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path} is not valid JSON (${(err as Error).message}).`);
  }
  if (values === null || typeof values !== "object" || Array.isArray(values)) {
    throw new UsageError(
      `${path} holds ${Array.isArray(values) ? "an array" : String(values)}; expected a JSON object of settings.`,
    );
  }
  return { source: path, values: values as Record<string, unknown> };
}

/** Reads a JSON config file into a layer; a file that cannot be read is a `UsageError` naming `what` and the path. */
export async function readConfigFile(path: string, what = "the config file"): Promise<ConfigLayer> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new UsageError(
      `Cannot read ${what} ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`,
    );
  }
  return configFileLayer(path, text);
}

/** What the user gave a command, as layers: its `--config` file (when given), then its flags over `extra` (such as positionals). */
export async function commandLineLayers(
  flags: ParsedFlags,
  extra: Readonly<Record<string, unknown>> = {},
): Promise<ConfigLayer[]> {
  const layers = flags.config === undefined ? [] : [await readConfigFile(flags.config)];
  layers.push({ source: "the command line", values: { ...extra, ...flags.values } });
  return layers;
}

/** Names a config field with its flag, for messages: `batchSize (--batch-size)`. */
export function describeField(key: string): string {
  return `${key} (${flagOf(key)})`;
}
