import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FormatError } from "../errors.js";
import { IoError } from "./atomic.js";
import {
  readImageFile,
  readNpyFile,
  readNpzFile,
  readSafetensorsFile,
  writeNpyFile,
  writeNpzFile,
  writePngFile,
  writeSafetensorsFile,
} from "./files.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "scm-io-files-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;

describe("file wrappers", () => {
  it("write and read back npy, npz, safetensors and PNG files", async () => {
    const a = ndarray(new Float64Array([1.5, -2, 3]), [3, 1]);
    await writeNpyFile(join(dir, "a.npy"), a);
    expect(Array.from((await readNpyFile(join(dir, "a.npy"))).data as Float64Array)).toEqual([1.5, -2, 3]);
    await writeNpzFile(join(dir, "s.npz"), { mu: a });
    expect((await readNpzFile(join(dir, "s.npz"))).mu?.shape).toEqual([3, 1]);
    await writeSafetensorsFile(join(dir, "m.safetensors"), { w: a }, { step: "3" });
    const st = await readSafetensorsFile(join(dir, "m.safetensors"));
    expect([st.metadata.step, st.tensors.w?.get(2, 0)]).toEqual(["3", 3]);
    const img = ndarray(new Uint8Array([1, 2, 3, 4]), [2, 2, 1]);
    await writePngFile(join(dir, "g.png"), img);
    expect(Array.from((await readImageFile(join(dir, "g.png"))).data)).toEqual([1, 2, 3, 4]);
    expect(readdirSync(dir).sort()).toEqual(["a.npy", "g.png", "m.safetensors", "s.npz"]);
  });

  it("reads numpy's savez_compressed file and the JPEG fixture from disk", async () => {
    expect(Array.from((await readNpzFile(fixture("savez_compressed.npz"))).mu?.data as Float64Array)).toEqual(
      [0.25, -1, 3.5],
    );
    expect((await readImageFile(fixture("quadrants_16x16.jpg"))).shape).toEqual([16, 16, 3]);
  });

  it("names the path in read, decode and encode errors, writing nothing on an encode error", async () => {
    const missing = join(dir, "nope.npy");
    await expect(readNpyFile(missing)).rejects.toThrow(IoError);
    await expect(readNpyFile(missing)).rejects.toThrow(`Cannot read ${missing}`);
    const junk = join(dir, "junk.safetensors");
    writeFileSync(junk, "abc");
    await expect(readSafetensorsFile(junk)).rejects.toThrow(FormatError);
    await expect(readSafetensorsFile(junk)).rejects.toThrow(`${junk}: Input of 3 bytes`);
    const bad = join(dir, "bad.png");
    await expect(writePngFile(bad, ndarray(new Float32Array(3), [1, 1, 3]))).rejects.toThrow(
      `${bad}: Image data is Float32Array`,
    );
    expect(readdirSync(dir)).toEqual(["junk.safetensors"]);
    expect(readFileSync(junk, "utf8")).toBe("abc");
  });
});
