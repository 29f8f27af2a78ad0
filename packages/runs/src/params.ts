// A network's weights in and out of a checkpoint's tensors. Names and shapes are checked by
// @scm/nets against the config, so a checkpoint of another architecture is refused, listing why.
import type { tf } from "@scm/backend";
import { encodeSafetensors, type NdArray } from "@scm/io";
import {
  type NetworkConfig,
  type Params,
  paramsFromSafetensors,
  weightsFormat,
  weightsMetadataKeys,
} from "@scm/nets";
import ndarray from "ndarray";
import type { HostTensor } from "./checkpoint.js";

/** The prefix of the trained (raw) weights in a checkpoint. */
export const modelPrefix = "model.";
/** The prefix of an EMA's weights in a checkpoint (the trainer's export names them `ema.<name>.`). */
export const emaPrefix = (name: string): string => `ema.${name}.`;

/** Host copies of tensors by name, with `prefix` prepended (awaited reads: GPU backends have no other). */
export async function hostTensors(
  tensors: Readonly<Record<string, tf.Tensor>>,
  prefix = "",
): Promise<Record<string, HostTensor>> {
  const entries = Object.entries(tensors);
  const values = await Promise.all(entries.map(([, v]) => v.data() as Promise<Float32Array>));
  const out: Record<string, HostTensor> = {};
  entries.forEach(([name, v], i) => {
    out[prefix + name] = { shape: [...v.shape], data: Float32Array.from(values[i]!) };
  });
  return out;
}

/** Fresh Params for `config` from host tensors (names without prefix); mismatches are a WeightsError. */
export function paramsFromHost(
  group: Readonly<Record<string, HostTensor>>,
  config: NetworkConfig,
  initMissing?: { seed: number },
): Params {
  const arrays: Record<string, NdArray> = {};
  for (const [name, t] of Object.entries(group)) arrays[name] = ndarray(t.data, [...t.shape]);
  const bytes = encodeSafetensors(arrays, { [weightsMetadataKeys.format]: weightsFormat });
  return paramsFromSafetensors(bytes, config, initMissing ? { initMissing } : {});
}
