// Parameters as safetensors bytes (browser-safe: files are the app's business, via @scm/io/node).
// Names are the spec's dotted names, values float32 in tfjs layouts, and the metadata carries the
// network's config as JSON, so a file says what it holds. A round trip is bit-exact.
import { tf } from "@scm/backend";
import { boundedJson, decodeSafetensors, encodeSafetensors, type NdArray } from "@scm/io";
import ndarray from "ndarray";
import { ConfigError, WeightsError, type WeightsMismatch } from "./errors.js";
import { type NetworkConfig, paramSpec, resolveNetworkConfig } from "./network.js";
import { checkParams, initialValues, type Params, paramMismatches } from "./params.js";

/** The metadata keys a weights file of this package carries. */
export const weightsMetadataKeys = { format: "scm.format", config: "scm.config" } as const;
/** The value of the format key: bump when the naming scheme or layouts change. */
export const weightsFormat = "scm-nets/1";

/**
 * Encodes `params` (checked against `config`'s spec) as safetensors bytes, the config in the metadata
 * beside any `metadata` of the caller's (e.g. what a model file says about its training run). The
 * reads are awaited (GPU backends have no synchronous read), all at once.
 */
export async function paramsToSafetensors(
  params: Params,
  config: NetworkConfig,
  metadata: Readonly<Record<string, string>> = {},
): Promise<Uint8Array> {
  const cfg = resolveNetworkConfig(config);
  checkParams(paramSpec(cfg), params);
  const entries = Object.entries(params);
  const values = await Promise.all(entries.map(([, v]) => v.data() as Promise<Float32Array>));
  const tensors: Record<string, NdArray> = {};
  entries.forEach(([name, v], i) => {
    tensors[name] = ndarray(Float32Array.from(values[i]!), [...v.shape]);
  });
  return encodeSafetensors(tensors, {
    ...metadata,
    [weightsMetadataKeys.format]: weightsFormat,
    [weightsMetadataKeys.config]: JSON.stringify(cfg),
  });
}

/** The network config stored in a weights file's metadata, validated. */
export function configFromSafetensors(bytes: Uint8Array): NetworkConfig {
  const text = decodeSafetensors(bytes).metadata[weightsMetadataKeys.config];
  if (text === undefined) {
    throw new ConfigError(
      `metadata["${weightsMetadataKeys.config}"]`,
      "missing",
      "the config paramsToSafetensors stores",
    );
  }
  return resolveNetworkConfig(JSON.parse(text));
}

// Fields that may differ between the file's config and the caller's: dropout is a training choice,
// and a guidance embedding added to a teacher's weights shows up as missing names instead.
const freeFields = new Set(["dropout", "guidanceEmbedding"]);

function configMismatches(stored: string | undefined, cfg: NetworkConfig): WeightsMismatch[] {
  if (stored === undefined) return [];
  const file = JSON.parse(stored) as Record<string, unknown>;
  const ours = cfg as unknown as Record<string, unknown>;
  const keys = new Set([...Object.keys(file), ...Object.keys(ours)]);
  return [...keys]
    .filter((k) => !freeFields.has(k) && boundedJson(file[k], 10_000) !== boundedJson(ours[k], 10_000))
    .map((k) => ({
      name: `config.${k}`,
      kind: "config" as const,
      actual: boundedJson(file[k]),
      expected: boundedJson(ours[k]),
    }));
}

/** Options of `paramsFromSafetensors`. */
export interface LoadOptions {
  /**
   * Draw parameters the file lacks as `initNetwork(config, seed)` would (e.g. a fresh, zero-initialised
   * guidance embedding on a teacher's weights for sCD); absent, a missing parameter is an error.
   */
  initMissing?: { seed: number };
}

/**
 * Decodes safetensors bytes into fresh Params for `config`; any name, shape, dtype or architecture
 * field that differs from the config is a WeightsError listing every mismatch.
 */
export function paramsFromSafetensors(
  bytes: Uint8Array,
  config: NetworkConfig,
  options: LoadOptions = {},
): Params {
  const cfg = resolveNetworkConfig(config);
  const spec = paramSpec(cfg);
  const { tensors, metadata } = decodeSafetensors(bytes);
  const shapes = Object.fromEntries(Object.entries(tensors).map(([k, a]) => [k, a.shape]));
  const mismatches = paramMismatches(spec, shapes).filter(
    (m) => !(m.kind === "missing" && options.initMissing),
  );
  for (const [name, a] of Object.entries(tensors)) {
    if (name in spec && !(a.data instanceof Float32Array)) {
      mismatches.push({
        name,
        kind: "dtype",
        actual: a.data.constructor.name,
        expected: "Float32Array (F32)",
      });
    }
  }
  mismatches.push(...configMismatches(metadata[weightsMetadataKeys.config], cfg));
  if (mismatches.length > 0) throw WeightsError.mismatched(mismatches);
  const params: Params = {};
  for (const [name, entry] of Object.entries(spec)) {
    const a = tensors[name];
    const values =
      a === undefined ? initialValues(name, entry, options.initMissing!.seed) : (a.data as Float32Array);
    const value = tf.tensor(values, [...entry.shape], "float32");
    params[name] = tf.variable(value, entry.trainable);
    value.dispose();
  }
  return params;
}
