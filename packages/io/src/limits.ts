// Read limits: every decoder checks what an input asks for against these before doing the work, so a
// hostile or damaged file is refused with a LimitError instead of hanging or exhausting memory.

/** Bounds on the work a decoder will do for one input; each has a default (`defaultReadLimits`) and can be raised. */
export interface ReadLimits {
  /** Largest safetensors JSON header, in bytes (default 100,000,000, the reference reader's limit). */
  maxSafetensorsHeaderBytes: number;
  /** Largest .npy header, in bytes (default 10,000, numpy's own `max_header_size`). */
  maxNpyHeaderBytes: number;
  /** Deepest nesting of a header literal (default 16; a valid .npy header nests 2 deep). */
  maxDepth: number;
  /** Most dimensions of one array (default 32, numpy 1.x's NPY_MAXDIMS). */
  maxRank: number;
  /** Most elements of one array built from a description rather than from bytes present in the file (PyTorch strided tensors; default 2^28 = 268,435,456). */
  maxElements: number;
  /** Most bytes a zip archive may inflate to, all deflated entries together, checked before and while inflating (default 1 GiB). */
  maxInflatedBytes: number;
  /** Most pixels (width × height) of a PNG or JPEG, checked from its header before decoding (default 89,478,485, Pillow's MAX_IMAGE_PIXELS). */
  maxPixels: number;
  /** Longest CSV cell, in characters (default 1,024; a float64 needs at most 25). */
  maxCellChars: number;
}

/** The default read limits. */
export const defaultReadLimits: Readonly<ReadLimits> = Object.freeze({
  maxSafetensorsHeaderBytes: 100_000_000,
  maxNpyHeaderBytes: 10_000,
  maxDepth: 16,
  maxRank: 32,
  maxElements: 2 ** 28,
  maxInflatedBytes: 2 ** 30,
  maxPixels: 89_478_485,
  maxCellChars: 1024,
});

/** The limits in force: the defaults with `overrides` applied. */
export function readLimits(overrides: Partial<ReadLimits> = {}): ReadLimits {
  return { ...defaultReadLimits, ...overrides };
}
