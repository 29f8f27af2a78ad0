import { describe, expect, it } from "vitest";
import { parseCsv, parseCsvTable } from "./csv.js";
import { CsvError } from "./errors.js";

describe("parseCsv", () => {
  it("parses numbers into float64 [rows, cols], skipping an auto-detected header", () => {
    const a = parseCsv("step,loss\n1,0.5\n2,-2.5e-1\r\n3, .125 \n\n");
    expect(a.shape).toEqual([3, 2]);
    expect(a.data).toBeInstanceOf(Float64Array);
    expect(Array.from(a.data)).toEqual([1, 0.5, 2, -0.25, 3, 0.125]);
  });

  it("treats an all-numeric first line as data under 'auto' and as a header when told", () => {
    expect(parseCsv("1,2\n3,4").shape).toEqual([2, 2]);
    expect(Array.from(parseCsv("1,2\n3,4", { header: true }).data)).toEqual([3, 4]);
    expect(parseCsvTable('"a", "b c"\n1,2').header).toEqual(["a", "b c"]);
    expect(parseCsvTable("1;2", { delimiter: ";" }).data.shape).toEqual([1, 2]);
  });

  it("names the line and column of a ragged row or a non-number", () => {
    expect(() => parseCsv("a,b\n1,2\n3\n")).toThrow("CSV line 3 has 1 cells; expected 2 like the header.");
    expect(() => parseCsv("a,b\n1,2\n3,x4\n")).toThrow(
      'CSV line 3, column 2 is "x4"; expected a decimal number.',
    );
    expect(() => parseCsv("1,2\n3,\n")).toThrow('CSV line 2, column 2 is ""; expected a decimal number.');
    const err = (() => {
      try {
        parseCsv("a\n1\n0x10");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CsvError);
    expect([(err as CsvError).line, (err as CsvError).column]).toEqual([3, 1]);
  });

  it("rejects NaN and infinities with the line", () => {
    expect(() => parseCsv("a\n1\nNaN")).toThrow(
      'CSV line 3, column 1 is "NaN"; expected a finite number, not NaN or infinity.',
    );
    expect(() => parseCsv("1\n-inf")).toThrow(/line 2, column 1 is "-inf"/);
    expect(() => parseCsv("1\n1e999")).toThrow(/line 2, column 1 is "1e999", which overflows float64/);
  });

  it("returns an empty [0, cols] array for a header-only file", () => {
    expect(parseCsv("a,b,c\n").shape).toEqual([0, 3]);
  });
});
