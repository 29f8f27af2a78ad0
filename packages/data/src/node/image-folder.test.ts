import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dataError, jpegOf, png, put, tempDir } from "./fixtures.js";
import { loadImageFolder } from "./image-folder.js";

const roots: string[] = [];
const root = () => {
  const r = tempDir();
  roots.push(r);
  return r;
};
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

describe("loadImageFolder", () => {
  it("loads gray PNGs as [N, H, W, 1] in [−1, 1], sorted by file name", async () => {
    const dir = root();
    put(
      dir,
      "b.png",
      png(2, 3, 1, () => 255),
    );
    put(
      dir,
      "a.png",
      png(2, 3, 1, (y, x) => 10 * y + x),
    );
    const ds = await loadImageFolder(dir);
    expect([ds.n, ...ds.sampleShape]).toEqual([2, 2, 3, 1]);
    expect(ds.labels).toBeUndefined();
    // a.png first: u / 127.5 − 1 for u = 0, 1, 2, 10, 11, 12
    const expected = [0, 1, 2, 10, 11, 12].map((u) => Math.fround(u / 127.5 - 1));
    expect(Array.from(ds.x.subarray(0, 6))).toEqual(expected);
    expect(Array.from(ds.x.subarray(6))).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("labels by sorted sub-folder names and reads JPEGs as RGB", async () => {
    const dir = root();
    put(dir, "zebra/1.jpg", jpegOf(8, 8, [255, 255, 255]));
    put(
      dir,
      "cat/1.png",
      png(8, 8, 3, (_y, _x, k) => [255, 0, 0][k] as number),
    );
    put(
      dir,
      "cat/2.PNG",
      png(8, 8, 4, () => 0),
    );
    const ds = await loadImageFolder(dir);
    expect(ds.classNames).toEqual(["cat", "zebra"]);
    expect(ds.numClasses).toBe(2);
    expect(Array.from(ds.labels ?? [])).toEqual([0, 0, 1]);
    expect(ds.sampleShape).toEqual([8, 8, 3]); // auto: a JPEG decodes to RGB
    expect(Array.from(ds.x.subarray(0, 3))).toEqual([1, -1, -1]); // red
    // quality-100 JPEG of pure white decodes to 255 up to the codec's rounding (≤ 1 level)
    expect(ds.x[2 * 8 * 8 * 3]).toBeGreaterThan(1 - 2 / 127.5);
  });

  it("converts to gray and resizes with a centre crop when asked", async () => {
    const dir = root();
    // 4x8 RGB: left half black, right half (200, 100, 50); the centred 4x4 window is columns 2..5
    put(
      dir,
      "a.png",
      png(4, 8, 3, (_y, x, k) => (x < 4 ? 0 : ([200, 100, 50][k] as number))),
    );
    const ds = await loadImageFolder(dir, { size: 2, channels: 1 });
    expect(ds.sampleShape).toEqual([2, 2, 1]);
    // area-halving the window: left outputs average black, right ones luma 124.2 → 124.2/127.5 − 1
    expect(ds.x[0]).toBeCloseTo(-1, 6);
    expect(ds.x[1]).toBeCloseTo(124.2 / 127.5 - 1, 5); // float32 luma and resize sums
  });

  it("rejects mixed sizes without a size option, naming the odd file", async () => {
    const dir = root();
    put(
      dir,
      "a.png",
      png(4, 4, 1, () => 0),
    );
    put(
      dir,
      "b.png",
      png(4, 5, 1, () => 0),
    );
    const e = await dataError(loadImageFolder(dir));
    expect(e.path).toBe(join(dir, "b.png"));
    expect(e.message).toBe(
      `${join(dir, "b.png")} is 4x5 (HxW); expected 4x4 like ${join(dir, "a.png")}, or pass a size to resize every image.`,
    );
    expect((await loadImageFolder(dir, { size: [3, 3] })).sampleShape).toEqual([3, 3, 1]);
  });

  it("names a non-image file, an undecodable image and an empty folder", async () => {
    const dir = root();
    put(
      dir,
      "a.png",
      png(2, 2, 1, () => 0),
    );
    put(dir, "notes.txt", "hello");
    const e1 = await dataError(loadImageFolder(dir));
    expect(e1.path).toBe(join(dir, "notes.txt"));
    expect(e1.message).toMatch(/notes\.txt is not an image file; expected only \.png, \.jpg, \.jpeg files/);

    const dir2 = root();
    put(dir2, "broken.png", "not a png at all");
    const e2 = await dataError(loadImageFolder(dir2));
    expect(e2.path).toBe(join(dir2, "broken.png"));
    expect(e2.message).toMatch(
      /broken\.png is not a readable image: Input of 16 bytes .* is neither PNG .* nor JPEG/,
    );

    const e3 = await dataError(loadImageFolder(root()));
    expect(e3.message).toMatch(/holds no images; expected \.png\/\.jpg\/\.jpeg files or class sub-folders/);

    const dir4 = root();
    put(
      dir4,
      "cat/a.png",
      png(2, 2, 1, () => 0),
    );
    put(dir4, "dog/.keep", "");
    const e4 = await dataError(loadImageFolder(dir4));
    expect(e4.path).toBe(join(dir4, "dog"));

    const e5 = await dataError(loadImageFolder(join(dir, "missing")));
    expect(e5.message).toMatch(/Cannot read image folder .*missing: ENOENT/);
  });
});
