import { ScmError } from "@scm/errors";

/** The format an error was raised for. */
export type FormatName = "npy" | "npz" | "zip" | "safetensors" | "png" | "jpeg" | "image" | "csv" | "array";

/** Bytes or an array that do not follow the expected file format; `format` and `field` say where. */
export class FormatError extends ScmError {
  static override readonly tag: string = "FormatError";
  /** The format being read or written. */
  readonly format: FormatName;
  /** The header field, entry or tensor name at fault, when there is one. */
  readonly field: string | undefined;
  constructor(format: FormatName, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, { input: options?.field, cause: options?.cause });
    this.format = format;
    this.field = options?.field;
  }
}

/** A CSV cell or row that is not numeric data; `line` and `column` are 1-based. */
export class CsvError extends FormatError {
  static override readonly tag: string = "CsvError";
  /** 1-based line number in the text. */
  readonly line: number;
  /** 1-based column number, or undefined for whole-row errors. */
  readonly column: number | undefined;
  constructor(message: string, line: number, column?: number) {
    super("csv", message, column === undefined ? {} : { field: `column ${column}` });
    this.line = line;
    this.column = column;
  }
}

/** An input that asks for more work than a read limit allows; `limit` names the `ReadLimits` field to raise. */
export class LimitError extends FormatError {
  static override readonly tag: string = "LimitError";
  /** What was measured, without the source ("Safetensors header length"). */
  readonly what: string;
  /** The `ReadLimits` field that refused the input. */
  readonly limit: string;
  /** What the input asked for (a count of bytes, elements, dimensions, ...). */
  readonly requested: number;
  /** The limit in force. */
  readonly allowed: number;
  constructor(
    format: FormatName,
    what: string,
    requested: number,
    limit: string,
    allowed: number,
    options?: { field?: string; source?: string; cause?: unknown },
  ) {
    super(
      format,
      `${options?.source === undefined ? "" : `${options.source}: `}${what} is ${requested}; expected at most ${allowed} (the ${limit} read limit; pass a larger one if the file is genuine).`,
      {
        ...(options?.field === undefined ? {} : { field: options.field }),
        ...(options?.cause === undefined ? {} : { cause: options.cause }),
      },
    );
    this.what = what;
    this.limit = limit;
    this.requested = requested;
    this.allowed = allowed;
  }
}
