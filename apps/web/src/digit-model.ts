// The network the page samples from: a shipped model by name, or a model file the user drops. Either
// is checked to be an image model before the first sample, so a wrong file is one sentence, not a
// failure deep in a kernel.
import { fetchModel } from "@scm/models";
import { decodeModelFile, type LoadedNetwork, RunError } from "@scm/runs";

/** A model ready to draw, and where it came from. */
export interface DigitModel {
  readonly loaded: LoadedNetwork;
  readonly source: string;
}

/** Refuses a model whose samples are not images [H, W, C] with 1 or 3 channels (e.g. a 2-D toy run). */
export function checkImageModel(loaded: LoadedNetwork, source: string): DigitModel {
  const shape = loaded.meta.dataset.sampleShape;
  if (shape.length !== 3 || (shape[2] !== 1 && shape[2] !== 3)) {
    loaded.dispose();
    throw new RunError(
      `${source} makes samples of shape [${shape.join(", ")}] (${loaded.meta.dataset.name}); this page draws images [H, W, 1 or 3].`,
      source,
    );
  }
  return { loaded, source };
}

/** Fetches and checks shipped model `name` (its weights are a static file of this site). */
export async function shippedDigitModel(name: string): Promise<DigitModel> {
  return checkImageModel(await fetchModel(name), name);
}

/** Decodes and checks a dropped model file (a run's ema.safetensors). */
export function droppedDigitModel(fileName: string, bytes: Uint8Array): DigitModel {
  return checkImageModel(decodeModelFile(bytes, fileName), fileName);
}
