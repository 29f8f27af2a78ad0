import { readFileSync } from "node:fs";
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { FormatError } from "./errors.js";
import { decodeImage, encodePng } from "./image.js";

// PNGs written by hand from the PNG spec in fixtures/make_fixtures.py; the JPEG by libjpeg-turbo's cjpeg.
const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

describe("encodePng", () => {
  it("round-trips gray, gray+alpha, RGB and RGBA images exactly", () => {
    for (const c of [1, 2, 3, 4]) {
      const [h, w] = [5, 7];
      const data = new Uint8Array(h * w * c).map((_, i) => (i * 37 + c) & 0xff);
      const back = decodeImage(encodePng(ndarray(data, [h, w, c])));
      expect(back.shape).toEqual([h, w, c]);
      expect(back.data).toEqual(data);
    }
  });

  it("writes a >64 KiB image and a strided view", () => {
    const data = new Uint8Array(128 * 200 * 3).map((_, i) => (i * 7) % 251);
    expect(decodeImage(encodePng(ndarray(data, [128, 200, 3]))).data).toEqual(data);
    // a horizontally flipped view: pixel (0, 0) of the flip is pixel (0, 1) of [[a, b]]
    const two = ndarray(new Uint8Array([1, 2, 3, 4, 5, 6]), [1, 2, 3]).step(1, -1, 1);
    expect(Array.from(decodeImage(encodePng(two)).data)).toEqual([4, 5, 6, 1, 2, 3]);
  });

  it("starts with the PNG signature and an IHDR of the right size", () => {
    const png = encodePng(ndarray(new Uint8Array(6 * 4 * 3), [4, 6, 3]));
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const dv = new DataView(png.buffer, png.byteOffset);
    expect(new TextDecoder().decode(png.subarray(12, 16))).toBe("IHDR");
    expect([dv.getUint32(16), dv.getUint32(20), png[24], png[25]]).toEqual([6, 4, 8, 2]); // width, height, depth 8, RGB
  });

  it("rejects non-uint8 data and bad shapes", () => {
    expect(() => encodePng(ndarray(new Float32Array(12), [2, 2, 3]))).toThrow(
      /Float32Array; expected a Uint8Array/,
    );
    expect(() => encodePng(ndarray(new Uint8Array(10), [2, 1, 5]))).toThrow(
      /\[2, 1, 5\]; expected \[H, W, C\] with C in 1..4/,
    );
    expect(() => encodePng(ndarray(new Uint8Array(4), [2, 2]))).toThrow(FormatError);
  });
});

describe("decodeImage", () => {
  it("decodes a known 2x2 RGB PNG", () => {
    const img = decodeImage(fixture("rgb_2x2.png"));
    expect(img.shape).toEqual([2, 2, 3]);
    expect(Array.from(img.data)).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
  });

  it("expands a 2-bit palette with tRNS to RGBA", () => {
    // palette black, white, (200,100,50); tRNS alpha 255, 128 (index 2 opaque); indices [0 1 2; 2 1 0]
    const img = decodeImage(fixture("palette_3x2.png"));
    expect(img.shape).toEqual([2, 3, 4]);
    expect(Array.from(img.data)).toEqual([
      0, 0, 0, 255, 255, 255, 255, 128, 200, 100, 50, 255, 200, 100, 50, 255, 255, 255, 255, 128, 0, 0, 0,
      255,
    ]);
  });

  it("reduces 16-bit samples and scales 1-bit gray to 0..255", () => {
    // 0xffff → 255; 0x8080 = 257·128 → 128
    expect(Array.from(decodeImage(fixture("gray16_2x1.png")).data)).toEqual([255, 128]);
    const g = decodeImage(fixture("gray1_4x1.png"));
    expect(g.shape).toEqual([1, 4, 1]);
    expect(Array.from(g.data)).toEqual([255, 0, 255, 255]);
  });

  it("decodes a 16x16 JPEG of four solid quadrants within quantisation error", () => {
    const img = decodeImage(fixture("quadrants_16x16.jpg"));
    expect(img.shape).toEqual([16, 16, 3]);
    const colours = [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [255, 255, 255],
    ];
    // quality 95, no chroma subsampling, 8x8-aligned flat blocks: only DC rounding and YCbCr
    // conversion error remain, a few levels at most
    let worst = 0;
    for (let y = 0; y < 16; y++) {
      for (let x = 0; x < 16; x++) {
        const want = colours[(y >> 3) * 2 + (x >> 3)] as number[];
        for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(img.get(y, x, c) - (want[c] as number)));
      }
    }
    expect(worst).toBeLessThanOrEqual(4);
  });

  it("rejects unknown and corrupt bytes with a clear error", () => {
    expect(() => decodeImage(new TextEncoder().encode("GIF89a.."))).toThrow(
      /starting "47 49 46 38 39 61 2e 2e" is neither PNG/,
    );
    const png = fixture("rgb_2x2.png");
    expect(() => decodeImage(png.subarray(0, 30))).toThrow(/PNG bytes could not be decoded/);
    expect(() => decodeImage(new Uint8Array([0xff, 0xd8, 0xff, 0, 0, 0]))).toThrow(
      /JPEG bytes could not be decoded/,
    );
  });
});
