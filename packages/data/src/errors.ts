import { ScmError } from "@scm/errors";

/** Data that cannot be used: an unreadable or non-image file, a ragged CSV, a NaN; `path` names the file. */
export class DataError extends ScmError {
  static override readonly tag: string = "DataError";
  /** The file or folder at fault, or undefined for in-memory data. */
  readonly path: string | undefined;
  /** The flat element index at fault (NaN/Inf checks), when there is one. */
  readonly index: number | undefined;
  /** The 1-based CSV line at fault, when there is one. */
  readonly line: number | undefined;
  /** The 1-based CSV column at fault, when there is one. */
  readonly column: number | undefined;
  constructor(
    message: string,
    options: { path?: string; index?: number; line?: number; column?: number; cause?: unknown } = {},
  ) {
    super(message, { input: options.path, cause: options.cause });
    this.path = options.path;
    this.index = options.index;
    this.line = options.line;
    this.column = options.column;
  }
}
