// Config validation shared by the networks: one resolver per network takes JSON (a preset, a
// config.json), fills defaults, rejects unknown keys and names the first bad field in a ConfigError.
import { boundedJson } from "@scm/io";
import { ConfigError } from "./errors.js";

/** The conditioning every network shares (paper §4.1; docs/math.md §3). */
export interface ConditioningConfig {
  /** Number of classes; 0 = unconditional. Label `numClasses` is the null label (CFG, label dropout). */
  readonly numClasses: number;
  /** Whether the guidance scale s is embedded and added to the time embedding (sCD with CFG, §4.2). */
  readonly guidanceEmbedding: boolean;
  /** Time features of c_noise(t) = t: "positional" (the paper's choice) or "fourier" (ablation, §4.1). */
  readonly timeEmbedding: "positional" | "fourier";
  /** Standard deviation of the Fourier frequencies (cycles per unit t); used when timeEmbedding is "fourier". */
  readonly fourierScale: number;
  /** "double": y = norm(x)⊙pnorm(s) + pnorm(b) (§4.1); "adagn": y = norm(x)⊙s + b (the ablation). */
  readonly modulation: "double" | "adagn";
  /** Dropout rate in the residual blocks, applied only when the call passes `options.dropout`. */
  readonly dropout: number;
}

/** Defaults of the conditioning fields: unconditional, positional time, double normalisation, no dropout. */
export const conditioningDefaults: ConditioningConfig = {
  numClasses: 0,
  guidanceEmbedding: false,
  timeEmbedding: "positional",
  fourierScale: 16,
  modulation: "double",
  dropout: 0,
};

type Json = Record<string, unknown>;

// bounded: a config may come from a hostile model file's metadata (a value nested a million deep)
const show = (v: unknown): string => (v === undefined ? "missing" : boundedJson(v));

/** The input as an object, or a ConfigError. */
export function asObject(input: unknown, what: string): Json {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new ConfigError(what, show(input), "an object");
  }
  return input as Json;
}

/** Throws on the first key of `obj` not in `allowed`. */
export function rejectUnknownKeys(obj: Json, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw new ConfigError(key, "unknown", `one of ${allowed.join(", ")}`);
  }
}

/** An integer field in [min, max]. */
export function int(obj: Json, key: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = obj[key];
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw new ConfigError(key, show(v), range);
  }
  return v;
}

/** A finite number field with lo ≤ v < hi; `what` phrases the range for the error. */
export function num(obj: Json, key: string, lo: number, hi: number, what: string): number {
  const v = obj[key];
  if (typeof v !== "number" || !Number.isFinite(v) || v < lo || v >= hi)
    throw new ConfigError(key, show(v), what);
  return v;
}

/** A boolean field. */
export function bool(obj: Json, key: string): boolean {
  const v = obj[key];
  if (typeof v !== "boolean") throw new ConfigError(key, show(v), "true or false");
  return v;
}

/** A string field from a fixed set. */
export function oneOf<T extends string>(obj: Json, key: string, values: readonly T[]): T {
  const v = obj[key];
  if (typeof v !== "string" || !values.includes(v as T)) {
    throw new ConfigError(key, show(v), values.map((s) => `"${s}"`).join(" or "));
  }
  return v as T;
}

/** A list of integers ≥ min, at least `minLength` long. */
export function intList(obj: Json, key: string, min: number, minLength: number): number[] {
  const v = obj[key];
  if (!Array.isArray(v) || v.length < minLength) {
    throw new ConfigError(key, show(v), `a list of at least ${minLength} integer(s)`);
  }
  v.forEach((x, i) => {
    if (typeof x !== "number" || !Number.isInteger(x) || x < min) {
      throw new ConfigError(`${key}[${i}]`, show(x), `an integer ≥ ${min}`);
    }
  });
  return [...v] as number[];
}

/** The input with `defaults` filled in where a key is absent. */
export function withDefaults(obj: Json, defaults: object): Json {
  const out: Json = { ...defaults };
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out;
}

/** The conditioning keys, for `rejectUnknownKeys`. */
export const conditioningKeys = Object.keys(conditioningDefaults) as (keyof ConditioningConfig)[];

/** Validates the conditioning fields of a defaults-filled config object. */
export function resolveConditioning(obj: Json): ConditioningConfig {
  return {
    numClasses: int(obj, "numClasses", 0),
    guidanceEmbedding: bool(obj, "guidanceEmbedding"),
    timeEmbedding: oneOf(obj, "timeEmbedding", ["positional", "fourier"] as const),
    fourierScale: num(obj, "fourierScale", Number.MIN_VALUE, Number.POSITIVE_INFINITY, "a positive number"),
    modulation: oneOf(obj, "modulation", ["double", "adagn"] as const),
    dropout: num(obj, "dropout", 0, 1, "a rate in [0, 1)"),
  };
}

/** Checks `kind` is the expected network kind. */
function checkKind(obj: Json, kind: string): void {
  if (obj["kind"] !== kind) throw new ConfigError("kind", show(obj["kind"]), `"${kind}"`);
}

/**
 * The input as a config object of `kind`: the network's own `defaults` and the conditioning defaults
 * filled in, any key outside `kind`, `ownKeys` and the conditioning keys rejected.
 */
export function configObject(
  input: unknown,
  kind: string,
  ownKeys: readonly string[],
  defaults: object,
): Json {
  const obj = withDefaults(asObject(input, "config"), { kind, ...defaults, ...conditioningDefaults });
  rejectUnknownKeys(obj, ["kind", ...ownKeys, ...conditioningKeys]);
  checkKind(obj, kind);
  return obj;
}

/** An even integer field ≥ min (a sinusoidal feature width: cos and sin halves). */
export function evenInt(obj: Json, key: string, min: number): number {
  const v = int(obj, key, min);
  if (v % 2 !== 0) throw new ConfigError(key, String(v), "an even integer");
  return v;
}
