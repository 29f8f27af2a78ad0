// PNG and JPEG images as [H, W, C] uint8 ndarrays (NHWC without the N). PNG through fast-png,
// JPEG decoding through jpeg-js; both pure JavaScript, so this runs in a browser.

import { formatShape } from "@scm/errors";
import { decode as decodePngRaw, encode as encodePngRaw } from "fast-png";
import jpeg from "jpeg-js";
import { describe } from "./describe.js";
import { contiguousData, type NdArray, wrap } from "./dtype.js";
import { FormatError, LimitError } from "./errors.js";
import { type ReadLimits, readLimits } from "./limits.js";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Encodes a [H, W, C] uint8 image (C = 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) as 8-bit PNG bytes. */
export function encodePng(img: NdArray): Uint8Array {
  if (!(img.data instanceof Uint8Array || img.data instanceof Uint8ClampedArray)) {
    throw new FormatError(
      "png",
      `Image data is ${img.data.constructor.name}; expected a Uint8Array of 0..255 values.`,
      { field: "data" },
    );
  }
  const [height, width, channels] = img.shape;
  if (img.shape.length !== 3 || channels === undefined || channels < 1 || channels > 4) {
    throw new FormatError(
      "png",
      `Image shape is ${formatShape(img.shape)}; expected [H, W, C] with C in 1..4.`,
      { field: "shape" },
    );
  }
  if ((height as number) < 1 || (width as number) < 1) {
    throw new FormatError(
      "png",
      `Image shape is ${formatShape(img.shape)}; PNG needs H and W of at least 1.`,
      { field: "shape" },
    );
  }
  const data = Uint8Array.from(contiguousData(img, "png") as Uint8Array);
  return encodePngRaw({ width: width as number, height: height as number, data, channels, depth: 8 });
}

/** Decodes PNG (any bit depth, palette, interlaced) or baseline/progressive JPEG bytes into a [H, W, C] uint8 image. */
export function decodeImage(bytes: Uint8Array, limits: Partial<ReadLimits> = {}): NdArray<Uint8Array> {
  const lim = readLimits(limits);
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return decodePng(bytes, lim);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return decodeJpeg(bytes, lim);
  const head = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
  throw new FormatError(
    "image",
    `Input of ${bytes.length} bytes starting "${head}" is neither PNG (89 50 4e 47 0d 0a 1a 0a) nor JPEG (ff d8 ff).`,
    { field: "signature" },
  );
}

/** Refuses an image of more than `maxPixels` pixels before any of it is decoded. */
function checkPixels(format: "png" | "jpeg", width: number, height: number, lim: ReadLimits): void {
  if (width * height > lim.maxPixels)
    throw new LimitError(
      format,
      `${format === "png" ? "PNG" : "JPEG"} image of ${width} × ${height} pixels has a pixel count that`,
      width * height,
      "maxPixels",
      lim.maxPixels,
      { field: "size" },
    );
}

/** Deflate's largest compression ratio (a run of one byte): 258 bytes from 2 bits, about 1032:1. */
const DEFLATE_MAX_RATIO = 1032;
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Refuses a PNG whose IDAT chunks are too short to hold its pixels even at deflate's largest ratio:
 * the decoder would allocate the whole image (up to gigabytes for a 100-byte file) before failing.
 */
function checkPngData(bytes: Uint8Array, dv: DataView, width: number, height: number): void {
  const bitsPerPixel = (bytes[24] as number) * (PNG_CHANNELS[bytes[25] as number] ?? 1);
  const needed = Math.floor((width * height * bitsPerPixel) / 8);
  let compressed = 0;
  // chunks: length (4), type (4), data, CRC (4); IHDR is the first at byte 8
  for (let p = 8; p + 8 <= bytes.length; ) {
    const length = dv.getUint32(p);
    const type = String.fromCharCode(
      bytes[p + 4] as number,
      bytes[p + 5] as number,
      bytes[p + 6] as number,
      bytes[p + 7] as number,
    );
    if (type === "IHDR" && p !== 8)
      // the decoder would take the later one's size, unchecked
      throw new FormatError("png", `PNG has a second IHDR chunk at byte ${p}; expected exactly one, first.`, {
        field: "IHDR",
      });
    if (type === "IDAT") compressed += Math.min(length, bytes.length - p - 8);
    if (type === "IEND") break;
    p += 12 + length;
  }
  if (compressed * DEFLATE_MAX_RATIO < needed)
    throw new FormatError(
      "png",
      `PNG bytes could not be decoded: ${width} × ${height} pixels need ${needed} bytes of image data, but the IDAT chunks hold ${compressed} compressed bytes, which inflate to at most ${compressed * DEFLATE_MAX_RATIO}.`,
      { field: "IDAT" },
    );
}

function errorText(e: unknown): string {
  return describe(e instanceof Error ? e.message : e, 160);
}

function decodePng(bytes: Uint8Array, lim: ReadLimits): NdArray<Uint8Array> {
  // IHDR must be the first chunk: length (4), "IHDR", width (4), height (4), all big-endian
  if (
    bytes.length >= 24 &&
    bytes[12] === 0x49 &&
    bytes[13] === 0x48 &&
    bytes[14] === 0x44 &&
    bytes[15] === 0x52
  ) {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const width = dv.getUint32(16);
    const height = dv.getUint32(20);
    checkPixels("png", width, height, lim);
    checkPngData(bytes, dv, width, height);
  } else {
    throw new FormatError(
      "png",
      "PNG does not start with an IHDR chunk; expected IHDR right after the signature.",
      {
        field: "IHDR",
      },
    );
  }
  let png: ReturnType<typeof decodePngRaw>;
  try {
    png = decodePngRaw(bytes);
  } catch (e) {
    throw new FormatError("png", `PNG bytes could not be decoded: ${errorText(e)}.`, { cause: e });
  }
  const { width, height, depth, palette } = png;
  const channels = png.channels;
  const n = width * height;
  if (palette !== undefined) {
    // indexed colour: expand through the palette; fast-png appends tRNS alpha to every entry when present
    const c = palette[0]?.length === 4 ? 4 : 3;
    const idx = unpackBits(png.data, width, height, depth, false);
    const out = new Uint8Array(n * c);
    for (let i = 0; i < n; i++) {
      const k = idx[i] as number;
      const entry = palette[k];
      if (entry === undefined)
        throw new FormatError(
          "png",
          `PNG pixel ${i} uses palette index ${k}; the palette has ${palette.length} entries.`,
          { field: "PLTE" },
        );
      for (let j = 0; j < c; j++) out[i * c + j] = entry[j] as number;
    }
    return wrap(out, [height, width, c]);
  }
  const samples = n * channels;
  if (png.data.length < (depth < 8 ? Math.ceil((width * depth) / 8) * height : samples)) {
    throw new FormatError(
      "png",
      `PNG of ${width} × ${height} × ${channels} decodes to ${png.data.length} samples; expected ${samples}.`,
      { field: "IDAT" },
    );
  }
  let out: Uint8Array;
  if (depth === 16) {
    // 16 → 8 bits: round(v · 255 / 65535), exact for images widened from 8 bits (v = 257 · u)
    const src = png.data as Uint16Array;
    out = new Uint8Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = Math.round((src[i] as number) / 257);
  } else if (depth < 8) {
    out = unpackBits(png.data as Uint8Array, width, height, depth, true); // gray only, per the spec
  } else {
    out = Uint8Array.from(png.data as Uint8Array);
  }
  return wrap(out, [height, width, channels]);
}

/** Unpacks 1/2/4-bit rows (each row padded to a byte) to one byte per sample, optionally scaled to 0..255. */
function unpackBits(
  data: ArrayLike<number>,
  width: number,
  height: number,
  depth: number,
  scale: boolean,
): Uint8Array {
  if (depth === 8) return Uint8Array.from(data);
  const out = new Uint8Array(width * height);
  const rowBytes = Math.ceil((width * depth) / 8);
  const mask = (1 << depth) - 1;
  const factor = scale ? 255 / mask : 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = data[y * rowBytes + (bit >> 3)] as number;
      out[y * width + x] = ((byte >> (8 - depth - (bit & 7))) & mask) * factor;
    }
  }
  return out;
}

/** The width and height in a JPEG's first start-of-frame marker, or undefined if none precedes the scan. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  let p = 2;
  while (p + 4 <= bytes.length) {
    if (bytes[p] !== 0xff) return undefined;
    const marker = bytes[p + 1] as number;
    if (marker === 0xff) {
      p++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      p += 2;
      continue;
    }
    const len = ((bytes[p + 2] as number) << 8) | (bytes[p + 3] as number);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof && p + 9 <= bytes.length) {
      const height = ((bytes[p + 5] as number) << 8) | (bytes[p + 6] as number);
      const width = ((bytes[p + 7] as number) << 8) | (bytes[p + 8] as number);
      return { width, height };
    }
    if (marker === 0xda || len < 2) return undefined; // start of scan: no frame header before it
    p += 2 + len;
  }
  return undefined;
}

function decodeJpeg(bytes: Uint8Array, lim: ReadLimits): NdArray<Uint8Array> {
  const size = jpegSize(bytes);
  if (size === undefined)
    throw new FormatError(
      "jpeg",
      "JPEG bytes could not be decoded: no frame header (SOF marker) precedes the image data.",
      {
        field: "SOF",
      },
    );
  checkPixels("jpeg", size.width, size.height, lim);
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: lim.maxPixels / 1e6,
      // jpeg-js's own cap on its buffers: the output plus a component plane per channel, with headroom
      maxMemoryUsageInMB: Math.max(512, Math.ceil((lim.maxPixels * 16) / 2 ** 20)),
    });
  } catch (e) {
    throw new FormatError("jpeg", `JPEG bytes could not be decoded: ${errorText(e)}.`, { cause: e });
  }
  if (img.data.length !== img.width * img.height * 3)
    throw new FormatError(
      "jpeg",
      `JPEG of ${img.width} × ${img.height} decodes to ${img.data.length} bytes; expected ${img.width * img.height * 3}.`,
    );
  return wrap(img.data, [img.height, img.width, 3]); // jpeg-js converts gray and CMYK to RGB
}
