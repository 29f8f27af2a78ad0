// The read limits, one hostile input per limit from issue 17's table: each is refused with a typed
// error naming the limit before the work starts, and raising the limit lets a genuine file through.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import {
  CsvError,
  decodeImage,
  decodeNpy,
  decodeNpz,
  decodeSafetensors,
  defaultReadLimits,
  encodeNpy,
  encodePng,
  encodeSafetensors,
  FormatError,
  LimitError,
  parseCsv,
  readZip,
  writeZip,
} from "./index.js";
import { readSafetensorsFile } from "./node/index.js";
import { deflatedZip } from "./testing/index.js";

const enc = new TextEncoder();

/** Safetensors bytes with a hand-written JSON header. */
function safetensors(header: string, data = new Uint8Array(0)): Uint8Array {
  const json = enc.encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** .npy bytes (v1 or v3) with a hand-written header. */
function npy(header: Uint8Array | string, version = 1, data = new Uint8Array(0)): Uint8Array {
  const h = typeof header === "string" ? enc.encode(header) : header;
  const prefix = version === 1 ? 10 : 12;
  const out = new Uint8Array(prefix + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const dv = new DataView(out.buffer);
  if (version === 1) dv.setUint16(8, h.length, true);
  else dv.setUint32(8, h.length, true);
  out.set(h, prefix);
  out.set(data, prefix + h.length);
  return out;
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

describe("safetensors limits", () => {
  const rank500 = safetensors(
    `{"t":{"dtype":"U8","shape":[${new Array(500).fill(1).join(",")}],"data_offsets":[0,1]}}`,
    new Uint8Array(1),
  );

  it("refuses a tensor of rank 500 by maxRank, before building it", () => {
    const e = thrown(() => decodeSafetensors(rank500));
    expect(e).toBeInstanceOf(LimitError);
    expect((e as LimitError).limit).toBe("maxRank");
    expect((e as Error).message).toBe(
      'Tensor "t" shape rank is 500; expected at most 32 (the maxRank read limit; pass a larger one if the file is genuine).',
    );
  });

  it("reads a rank-40 tensor once maxRank is raised", () => {
    const shape = new Array(40).fill(1);
    const bytes = encodeSafetensors({ t: ndarray(new Float32Array([2.5]), shape) });
    expect(() => decodeSafetensors(bytes)).toThrow(LimitError);
    expect(decodeSafetensors(bytes, { maxRank: 64 }).tensors.t?.shape).toEqual(shape);
  });

  it("names a metadata value nested 100,000 deep without recursing over it", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const e = thrown(() => decodeSafetensors(safetensors(`{"__metadata__":{"k":${deep}}}`)));
    expect(e).toBeInstanceOf(FormatError);
    expect((e as Error).message).toBe('Safetensors metadata "k" is a list of 1 items; expected a string.');
  });

  it("cuts a quoted tensor name of a megabyte to 80 characters", () => {
    const name = "n".repeat(1 << 20);
    const e = thrown(() =>
      decodeSafetensors(safetensors(`{"${name}":{"dtype":"X","shape":[],"data_offsets":[0,0]}}`)),
    );
    expect((e as Error).message.length).toBeLessThan(300);
    expect((e as Error).message).toContain("(1048576 characters)");
  });

  it("refuses a header over maxSafetensorsHeaderBytes from its length field alone", () => {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, 200_000_000n, true);
    expect(() => decodeSafetensors(bytes)).toThrow(
      /length is 200000000; expected at most 100000000 \(the maxSafetensorsHeaderBytes/,
    );
  });

  it("prefixes the path when a file hits a limit, keeping the LimitError", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "scm-io-limits-")), "rank.safetensors");
    writeFileSync(path, rank500);
    const e = await readSafetensorsFile(path).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(LimitError);
    expect((e as Error).message.startsWith(`${path}: Tensor "t" shape rank is 500`)).toBe(true);
  });
});

describe(".npy limits", () => {
  it("refuses a v3 header that is not UTF-8 with a FormatError, not a TypeError", () => {
    const header = Uint8Array.from([...enc.encode("{'descr': '"), 0xff, 0xfe, ...enc.encode("'}\n")]);
    const e = thrown(() => decodeNpy(npy(header, 3)));
    expect(e).toBeInstanceOf(FormatError);
    expect((e as Error).message).toBe(
      ".npy v3 header is not valid UTF-8; expected a UTF-8 Python dict literal.",
    );
  });

  it("refuses a shape of 2,000 dimensions by maxRank", () => {
    const shape = `(${new Array(2000).fill("1").join(",")})`;
    expect(() => decodeNpy(npy(`{'descr': '|u1', 'fortran_order': False, 'shape': ${shape}, }`))).toThrow(
      ".npy shape rank is 2000; expected at most 32 (the maxRank read limit",
    );
  });

  it("refuses nesting deeper than maxDepth in the header", () => {
    const e = thrown(() => decodeNpy(npy(`{'descr': ${"[".repeat(2000)}${"]".repeat(2000)}}`)));
    expect(e).toBeInstanceOf(LimitError);
    expect((e as LimitError).limit).toBe("maxDepth");
  });

  it("refuses a header longer than maxNpyHeaderBytes, and reads it with a larger limit", () => {
    const a = encodeNpy(ndarray(new Float32Array([1, 2]), [2]));
    expect(() => decodeNpy(a, { maxNpyHeaderBytes: 32 })).toThrow(
      /header length is 118; expected at most 32/,
    );
    expect(Array.from(decodeNpy(a).data as Float32Array)).toEqual([1, 2]);
  });
});

describe("zip and .npz limits", () => {
  it("refuses a central-directory extra field that overruns the file with a FormatError", () => {
    const zip = writeZip({ "a.npy": encodeNpy(ndarray(new Uint8Array([1]), [1])) });
    const cd = zip.length - 22 - (46 + 5);
    new DataView(zip.buffer).setUint16(cd + 30, 0xfff0, true); // extra field length
    const e = thrown(() => decodeNpz(zip));
    expect(e).toBeInstanceOf(FormatError);
    expect((e as Error).message).toMatch(/runs to byte \d+, past the directory's end/);
  });

  it("refuses 6 entries declaring 400 MB each before inflating any of them", () => {
    const zeros = new Uint8Array(1 << 20);
    const entries: Record<string, { data: Uint8Array; declaredSize: number }> = {};
    for (let i = 0; i < 6; i++) entries[`e${i}.npy`] = { data: zeros, declaredSize: 400_000_000 };
    const e = thrown(() => decodeNpz(deflatedZip(entries)));
    expect(e).toBeInstanceOf(LimitError);
    expect((e as LimitError).limit).toBe("maxInflatedBytes");
    expect((e as LimitError).requested).toBe(1_200_000_000); // refused at the third entry, from headers alone
  });

  it("stops inflating an entry the moment it outgrows its declared size", () => {
    const bomb = deflatedZip({ "x.npy": { data: new Uint8Array(4 << 20), declaredSize: 1000 } });
    expect(() => readZip(bomb)).toThrow(
      'Zip entry "x.npy" inflates to more than the 1000 bytes its header says.',
    );
  });

  it("applies maxInflatedBytes to honest archives too, and a larger limit lets them through", () => {
    const zip = deflatedZip({ "x.npy": { data: new Uint8Array(4 << 20) } });
    expect(() => readZip(zip, { maxInflatedBytes: 1 << 20 })).toThrow(LimitError);
    expect(readZip(zip).get("x.npy")?.length).toBe(4 << 20);
  });
});

describe("image limits", () => {
  it("refuses a 25,000 × 25,000 PNG from its IHDR, before decoding", () => {
    const png = Uint8Array.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
    ]);
    const bytes = new Uint8Array(64);
    bytes.set(png);
    const dv = new DataView(bytes.buffer);
    dv.setUint32(16, 25_000);
    dv.setUint32(20, 25_000);
    const e = thrown(() => decodeImage(bytes));
    expect(e).toBeInstanceOf(LimitError);
    expect((e as Error).message).toBe(
      `PNG image of 25000 × 25000 pixels has a pixel count that is 625000000; expected at most ${defaultReadLimits.maxPixels} (the maxPixels read limit; pass a larger one if the file is genuine).`,
    );
  });

  it("refuses a PNG whose IDAT is too short for its size at deflate's largest ratio, before allocating it", () => {
    const png = encodePng(ndarray(new Uint8Array(4 * 5), [4, 5, 1]));
    const dv = new DataView(png.buffer, png.byteOffset);
    dv.setUint32(16, 8_000_000); // width; 32 M pixels is within maxPixels
    expect(() => decodeImage(png)).toThrow(
      /^PNG bytes could not be decoded: 8000000 × 4 pixels need 32000000 bytes of image data, but the IDAT chunks hold \d+ compressed bytes/,
    );
  });

  it("refuses a PNG with a second IHDR, whose size the decoder would take unchecked", () => {
    const png = encodePng(ndarray(new Uint8Array(4 * 5), [4, 5, 1]));
    const ihdr = png.subarray(8, 8 + 25);
    const twice = new Uint8Array(png.length + 25);
    twice.set(png.subarray(0, 33));
    twice.set(ihdr, 33);
    twice.set(png.subarray(33), 58);
    expect(() => decodeImage(twice)).toThrow(
      "PNG has a second IHDR chunk at byte 33; expected exactly one, first.",
    );
  });

  it("refuses a JPEG whose frame header says 30,000 × 30,000", () => {
    // SOI, then SOF0: length 11, precision 8, height, width, 1 component
    const jpg = Uint8Array.from([0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0x75, 0x30, 0x75, 0x30, 1, 1, 0x11, 0]);
    expect(() => decodeImage(jpg)).toThrow(/JPEG image of 30000 × 30000 pixels .*the maxPixels read limit/);
  });
});

describe("CSV limits", () => {
  it("refuses a number of 100,000 digits by its length, before parsing it", () => {
    const e = thrown(() => parseCsv(`a,b\n1,${"9".repeat(100_000)}\n`));
    expect(e).toBeInstanceOf(CsvError);
    expect((e as Error).message).toBe(
      "CSV line 2, column 2 holds 100000 characters; expected at most 1024 (the maxCellChars read limit; pass a larger one if the file is genuine).",
    );
  });

  it("takes a longer cell once maxCellChars is raised", () => {
    const long = `0.${"0".repeat(1500)}1`;
    expect(parseCsv(`x\n${long}\n`, { limits: { maxCellChars: 2000 } }).get(0, 0)).toBe(0);
  });
});
