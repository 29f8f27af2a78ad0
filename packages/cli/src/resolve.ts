// Config resolution: defaults < preset < config file < flags, every layer checked field by field.
import { UsageError } from "./errors.js";
import { type ConfigOf, checkValue, flagOf, type OptionTable } from "./options.js";

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

/** Names a config field with its flag, for messages: `batchSize (--batch-size)`. */
export function describeField(key: string): string {
  return `${key} (${flagOf(key)})`;
}
