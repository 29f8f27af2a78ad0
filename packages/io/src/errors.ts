/** The format an error was raised for. */
export type FormatName = "npy" | "npz" | "zip" | "safetensors" | "png" | "jpeg" | "image" | "csv" | "array";

/** Bytes or an array that do not follow the expected file format; `format` and `field` say where. */
export class FormatError extends Error {
  override readonly name: string = "FormatError";
  /** The format being read or written. */
  readonly format: FormatName;
  /** The header field, entry or tensor name at fault, when there is one. */
  readonly field: string | undefined;
  constructor(format: FormatName, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.format = format;
    this.field = options?.field;
  }
}

/** A CSV cell or row that is not numeric data; `line` and `column` are 1-based. */
export class CsvError extends FormatError {
  override readonly name: string = "CsvError";
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
