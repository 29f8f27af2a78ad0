import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IoError, writeFileAtomic } from "./atomic.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "scm-io-atomic-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("writeFileAtomic", () => {
  it("writes bytes and text, replacing an existing file, leaving no temp file", async () => {
    const p = join(dir, "state.json");
    writeFileSync(p, "old");
    await writeFileAtomic(p, '{"step":1}');
    expect(readFileSync(p, "utf8")).toBe('{"step":1}');
    await writeFileAtomic(p, new Uint8Array([1, 2, 255]));
    expect(Array.from(readFileSync(p))).toEqual([1, 2, 255]);
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });

  it("fails naming the path when the directory is missing, creating nothing", async () => {
    const p = join(dir, "missing", "x.bin");
    await expect(writeFileAtomic(p, "x")).rejects.toThrow(IoError);
    await expect(writeFileAtomic(p, "x")).rejects.toThrow(`Cannot write ${p}`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("removes its temp file and keeps the old target when the final rename fails", async () => {
    // renaming a file over a non-empty directory fails (EISDIR/ENOTEMPTY) after the temp file is written
    const target = join(dir, "model.safetensors");
    mkdirSync(target);
    writeFileSync(join(target, "keep"), "k");
    const err = await writeFileAtomic(target, new Uint8Array(1000)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IoError);
    expect((err as IoError).path).toBe(target);
    expect(readdirSync(dir)).toEqual(["model.safetensors"]);
    expect(existsSync(join(target, "keep"))).toBe(true);
  });
});
