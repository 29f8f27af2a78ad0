// The one error base of sCM-TS. Every typed error of every package extends ScmError, so a caller can
// read what was wrong (input, actual, expected) without knowing which package threw, and can recognise
// an error by its tag even when two copies of a package are installed (instanceof alone would fail:
// each copy has its own class objects).

/** What an error says was wrong; every field is optional because not every error has an input. */
export interface ScmErrorDetails {
  /** The input at fault, as the caller wrote it (`t`, `tangents[1]`, `channelMult[1]`, a file path). */
  readonly input?: string | undefined;
  /** What it was: a value, a shape, or a phrase. */
  readonly actual?: unknown;
  /** What was expected: a phrase, or a value such as a shape. */
  readonly expected?: unknown;
  /** The error this one wraps. */
  readonly cause?: unknown;
}

// A registry-wide symbol, the same in every copy of this package, under which an instance keeps the
// tags of its class and of every class above it.
const TAGS = Symbol.for("@scm/errors.tags");

/** A class of ScmError: what `isInstance` needs of `this`. */
type ScmErrorClass<E extends ScmError> = abstract new (...args: never[]) => E;

/** The base of every sCM-TS error: one sentence for a message, the input/actual/expected behind it, a tag. */
export class ScmError extends Error {
  /** The class's tag, unique across sCM-TS; each subclass declares its own (its class name). */
  static readonly tag: string = "ScmError";

  /** The tag of the class that was thrown (also its `name`). */
  readonly tag: string;
  readonly input: string | undefined;
  readonly actual: unknown;
  readonly expected: unknown;
  declare readonly [TAGS]: readonly string[];

  constructor(message: string, details: ScmErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    const tags: string[] = [];
    // The most derived class first; a subclass without a tag of its own shares its parent's.
    for (let c: unknown = new.target; typeof c === "function" && c !== Error; c = Object.getPrototypeOf(c)) {
      if (Object.hasOwn(c, "tag")) tags.push((c as unknown as { tag: string }).tag);
    }
    Object.defineProperty(this, TAGS, { value: tags, enumerable: false });
    this.tag = tags[0] ?? ScmError.tag;
    this.name = this.tag;
    this.input = details.input;
    this.actual = details.actual;
    this.expected = details.expected;
  }

  /**
   * True when `value` is an error of this class or of a subclass, from this copy of the package or
   * any other: the check is on tags, which every copy shares, not on class identity.
   */
  static isInstance<E extends ScmError>(
    this: ScmErrorClass<E> & { tag: string },
    value: unknown,
  ): value is E {
    if (typeof value !== "object" || value === null) return false;
    const tags = (value as { [TAGS]?: unknown })[TAGS];
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class it was called on (a subclass's tag).
    return Array.isArray(tags) && tags.includes(this.tag);
  }
}
