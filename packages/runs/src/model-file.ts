// A model file: one network's sampling weights (a run's EMA) as safetensors in @scm/nets' interchange
// format, plus what using it needs from its training run (RunMeta) in the metadata. scm-train writes
// one as `ema.safetensors`; the shipped models of @scm/models are such files. Browser-safe.
import { decodeSafetensors } from "@scm/io";
import { disposeParams, network, type Params, paramsFromSafetensors, paramsToSafetensors } from "@scm/nets";
import type { NetworkFn } from "@scm/trigflow";
import { RunError } from "./errors.js";
import type { RunMeta } from "./run-meta.js";

/** The metadata key holding a model file's RunMeta (JSON). */
export const modelMetaKey = "scm.run";

/** A trained network ready to sample from (or to distil from, or to start training at). */
export interface LoadedNetwork {
  readonly meta: RunMeta;
  readonly params: Params;
  readonly net: NetworkFn;
  /** Frees the weights. */
  dispose(): void;
}

/** Encodes sampling weights and their run's meta as a model file (the weights' reads awaited). */
export function encodeModelFile(params: Params, meta: RunMeta): Promise<Uint8Array> {
  return paramsToSafetensors(params, meta.network, { [modelMetaKey]: JSON.stringify(meta) });
}

/** The RunMeta a model file records; `source` names the file in errors. */
export function modelFileMeta(bytes: Uint8Array, source: string): RunMeta {
  let text: string | undefined;
  try {
    text = decodeSafetensors(bytes).metadata[modelMetaKey];
  } catch (err) {
    throw new RunError(`${source} is not a safetensors model file: ${(err as Error).message}`, source);
  }
  let meta: Partial<RunMeta> | undefined;
  try {
    meta = text === undefined ? undefined : (JSON.parse(text) as Partial<RunMeta>);
  } catch {
    meta = undefined;
  }
  if (meta?.network === undefined || meta.dataset === undefined || meta.mode === undefined) {
    throw new RunError(
      `${source} does not record its training run (metadata "${modelMetaKey}"); expected a model file written by scm-train (ema.safetensors).`,
      source,
    );
  }
  return meta as RunMeta;
}

/** Decodes a model file into a network; a file of another shape or a damaged one is a RunError naming `source`. */
export function decodeModelFile(bytes: Uint8Array, source: string): LoadedNetwork {
  const meta = modelFileMeta(bytes, source);
  let params: Params;
  try {
    params = paramsFromSafetensors(bytes, meta.network);
  } catch (err) {
    throw new RunError(`${source}: ${(err as Error).message}`, source);
  }
  return { meta, params, net: network(meta.network, params), dispose: () => disposeParams(params) };
}
