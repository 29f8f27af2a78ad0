// @scm/models: the trained models shipped with sCM-TS, by name. Browser-safe; from Node use
// `loadModel` of @scm/models/node, which also takes a model file or a run directory.
import type { LoadedNetwork } from "@scm/runs";
import { RunError } from "@scm/runs";
import { modelFromBytes, modelUrl } from "./shipped.js";

export { type ModelName, modelNames, type ShippedModel, shippedModels } from "./registry.js";
export { isModelName, modelFromBytes, modelUrl, shippedModel } from "./shipped.js";

/** Options of `fetchModel`. */
export interface FetchModelOptions {
  /** Where to fetch from instead of the bundled asset (e.g. a CDN copy of the same file). */
  readonly url?: string | URL;
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof fetch;
}

/** Fetches shipped model `name` (in a browser or a bundled app) and decodes it, checked. */
export async function fetchModel(name: string, options: FetchModelOptions = {}): Promise<LoadedNetwork> {
  const url = options.url ?? modelUrl(name);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url);
  } catch (err) {
    throw new RunError(`Fetching ${name} from ${String(url)} failed: ${(err as Error).message}.`, name);
  }
  if (!response.ok) {
    throw new RunError(`Fetching ${name} from ${String(url)} failed: HTTP ${response.status}.`, name);
  }
  return modelFromBytes(name, new Uint8Array(await response.arrayBuffer()));
}
