// The shipped models: one entry per file in ../weights, with its size and CRC-32 so that a damaged
// file (or a Git LFS pointer in its place) is refused by name instead of failing deep in a decoder.
// Each URL is a literal `new URL(…, import.meta.url)`: bundlers (Vite, webpack, esbuild) see it and
// ship the file as an asset; in Node it is the file beside the package. Cards: ../cards/<name>.md.

/** A model shipped with this package. */
export interface ShippedModel {
  /** One line: what it is and how it samples. */
  readonly summary: string;
  /** The file's size in bytes and its CRC-32 (as zip's), checked before it is decoded. */
  readonly bytes: number;
  readonly crc32: number;
  /** Where the weights are. */
  readonly url: () => URL;
}

/** The shipped models by name. */
export const shippedModels = {
  "mnist-teacher": {
    summary: "Class-conditional MNIST diffusion teacher (TrigFlow, EDM2 weighting): Heun / DPM-2, ~35 NFE.",
    bytes: 3_012_664,
    crc32: 0x22e55bbf,
    url: () => new URL("../weights/mnist-teacher.safetensors", import.meta.url),
  },
  "mnist-scd": {
    summary: "sCD student of mnist-teacher with distilled CFG (guidance input, s ≤ 3): 1 or 2 steps.",
    bytes: 3_013_928,
    crc32: 0x26e90f76,
    url: () => new URL("../weights/mnist-scd.safetensors", import.meta.url),
  },
  "mnist-sct": {
    summary: "sCT student (consistency training, initialised from mnist-teacher): 1 or 2 steps.",
    bytes: 0,
    crc32: 0,
    url: () => new URL("../weights/mnist-sct.safetensors", import.meta.url),
  },
} as const satisfies Record<string, ShippedModel>;

/** A shipped model's name. */
export type ModelName = keyof typeof shippedModels;

/** The names of the shipped models. */
export const modelNames = Object.keys(shippedModels) as ModelName[];
