// What the fuzz suite runs: a named decoder, its seed corpus, and which errors count as a clean refusal.

/** A decoder under fuzzing. */
export interface FuzzTarget {
  /** Short name, used in reports and fixture file names ("safetensors", "pth-pickle"). */
  readonly name: string;
  /** The valid files mutations start from. */
  readonly corpus: () => Uint8Array[];
  /** Decodes one input; returning is fine, throwing must be a typed refusal. */
  readonly decode: (bytes: Uint8Array) => unknown;
  /** Whether a thrown value is the project's typed error (a clean refusal) rather than a crash. */
  readonly expected: (error: unknown) => boolean;
  /** Prepares a mutated input before decoding (e.g. wraps a mutated pickle in a valid zip); default none. */
  readonly wrap?: (bytes: Uint8Array) => Uint8Array;
}
