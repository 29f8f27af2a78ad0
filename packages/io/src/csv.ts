// Numeric CSV → float64 [rows, cols]: comma-separated decimal numbers, an optional header row.
import ndarray from "ndarray";
import { quote } from "./describe.js";
import type { NdArray } from "./dtype.js";
import { CsvError } from "./errors.js";
import { type ReadLimits, readLimits } from "./limits.js";

/** Options for `parseCsv`. */
export interface ParseCsvOptions {
  /** Whether the first non-empty line is a header: 'auto' (default) if any of its cells is not a number. */
  header?: "auto" | boolean;
  /** Cell separator (default ","). */
  delimiter?: string;
  /** Read limits; CSV uses `maxCellChars` (default 1,024 characters per cell). */
  limits?: Partial<ReadLimits>;
}

/** A parsed CSV: the header cells (or null) and the numbers. */
export interface CsvTable {
  /** Header cells, unquoted and trimmed, or null when there is no header row. */
  header: string[] | null;
  /** The numbers, float64 [rows, cols]. */
  data: NdArray<Float64Array>;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

function cells(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((c) => {
    const t = c.trim();
    return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
  });
}

/** Parses numeric CSV text into a header (or null) and a float64 [rows, cols] array; blank lines are skipped. */
export function parseCsvTable(text: string, options: ParseCsvOptions = {}): CsvTable {
  const delimiter = options.delimiter ?? ",";
  const { maxCellChars } = readLimits(options.limits);
  const lines = text.split(/\r?\n/);
  const rows: { line: number; cells: string[] }[] = [];
  lines.forEach((l, i) => {
    if (l.trim() === "") return;
    const row = cells(l, delimiter);
    row.forEach((c, j) => {
      if (c.length > maxCellChars)
        throw new CsvError(
          `CSV line ${i + 1}, column ${j + 1} holds ${c.length} characters; expected at most ${maxCellChars} (the maxCellChars read limit; pass a larger one if the file is genuine).`,
          i + 1,
          j + 1,
        );
    });
    rows.push({ line: i + 1, cells: row });
  });
  let header: string[] | null = null;
  const first = rows[0];
  if (first !== undefined) {
    const mode = options.header ?? "auto";
    const isHeader =
      mode === "auto" ? first.cells.some((c) => !DECIMAL.test(c) && !NON_FINITE.test(c)) : mode;
    if (isHeader) {
      header = first.cells;
      rows.shift();
    }
  }
  const cols = header?.length ?? rows[0]?.cells.length ?? 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => {
    if (r.cells.length !== cols) {
      throw new CsvError(
        `CSV line ${r.line} has ${r.cells.length} cells; expected ${cols} like ${header !== null ? "the header" : "the first row"}.`,
        r.line,
      );
    }
    r.cells.forEach((c, j) => {
      if (NON_FINITE.test(c))
        throw new CsvError(
          `CSV line ${r.line}, column ${j + 1} is ${quote(c)}; expected a finite number, not NaN or infinity.`,
          r.line,
          j + 1,
        );
      if (!DECIMAL.test(c))
        throw new CsvError(
          `CSV line ${r.line}, column ${j + 1} is ${quote(c)}; expected a decimal number.`,
          r.line,
          j + 1,
        );
      const v = Number(c);
      if (!Number.isFinite(v))
        throw new CsvError(
          `CSV line ${r.line}, column ${j + 1} is ${quote(c)}, which overflows float64; expected a finite number.`,
          r.line,
          j + 1,
        );
      data[i * cols + j] = v;
    });
  });
  return { header, data: ndarray(data, [rows.length, cols]) };
}

/** Parses numeric CSV text into a float64 [rows, cols] array (see `parseCsvTable` for the header cells). */
export function parseCsv(text: string, options: ParseCsvOptions = {}): NdArray<Float64Array> {
  return parseCsvTable(text, options).data;
}
