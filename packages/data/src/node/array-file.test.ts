import { rmSync } from "node:fs";
import { encodeNpy } from "@scm/io";
import ndarray from "ndarray";
import { afterAll, describe, expect, it } from "vitest";
import { loadArrayFile } from "./array-file.js";
import { dataError, put, tempDir } from "./fixtures.js";

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadArrayFile", () => {
  it("loads a .npy [N, D] array as float32 samples", async () => {
    const path = put(dir, "pts.npy", encodeNpy(ndarray(Float64Array.from([0.5, -1, 2, 3]), [2, 2])));
    const ds = await loadArrayFile(path);
    expect([ds.name, ds.n, ...ds.sampleShape]).toEqual(["pts", 2, 2]);
    expect(Array.from(ds.x)).toEqual([0.5, -1, 2, 3]);
  });

  it("loads a CSV with a header", async () => {
    const ds = await loadArrayFile(put(dir, "p.csv", "x,y\n1,2\n3,4.5\n"));
    expect(Array.from(ds.x)).toEqual([1, 2, 3, 4.5]);
    expect(ds.sampleShape).toEqual([2]);
  });

  it("names the file, line and column of a ragged row or a non-number", async () => {
    const ragged = put(dir, "ragged.csv", "1,2\n3\n");
    const e1 = await dataError(loadArrayFile(ragged));
    expect([e1.path, e1.line, e1.column]).toEqual([ragged, 2, undefined]);
    expect(e1.message).toBe(`${ragged}: CSV line 2 has 1 cells; expected 2 like the first row.`);
    const word = put(dir, "word.csv", "1,2\n3,abc\n");
    const e2 = await dataError(loadArrayFile(word));
    expect([e2.line, e2.column]).toEqual([2, 2]);
    expect(e2.message).toBe(`${word}: CSV line 2, column 2 is "abc"; expected a decimal number.`);
    const nan = put(dir, "nan.csv", "1,2\n3,NaN\n");
    expect((await dataError(loadArrayFile(nan))).message).toMatch(
      /nan\.csv: CSV line 2, column 2 is "NaN"; expected a finite number/,
    );
  });

  it("names the file and index of a NaN or Inf in a .npy", async () => {
    const path = put(
      dir,
      "bad.npy",
      encodeNpy(ndarray(Float32Array.from([0, 1, 2, Number.POSITIVE_INFINITY]), [2, 2])),
    );
    const e = await dataError(loadArrayFile(path));
    expect([e.path, e.index]).toEqual([path, 3]);
    expect(e.message).toBe(
      `${path} has Infinity at index 3 (sample 1, element 1); expected finite numbers only.`,
    );
  });

  it("names an unreadable, undecodable or unknown file", async () => {
    expect((await dataError(loadArrayFile(`${dir}/none.npy`))).message).toMatch(
      /Cannot read .*none\.npy: ENOENT/,
    );
    const junk = put(dir, "junk.npy", "junk");
    expect((await dataError(loadArrayFile(junk))).message).toMatch(
      /junk\.npy cannot be decoded as a \.npy array: /,
    );
    expect((await dataError(loadArrayFile(put(dir, "a.txt", "1")))).message).toMatch(
      /a\.txt has extension "\.txt"; expected a \.npy or \.csv file/,
    );
    expect((await dataError(loadArrayFile(put(dir, "empty.csv", "")))).message).toMatch(
      /empty\.csv holds no samples/,
    );
  });
});
