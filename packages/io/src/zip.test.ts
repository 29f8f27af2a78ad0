import { readFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { FormatError } from "./errors.js";
import { crc32, readZip, writeZip } from "./zip.js";

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

interface Entry {
  name: string;
  data: Uint8Array;
  method?: 0 | 8;
  crc?: number;
  flags?: number;
  /** Bytes of padding in the local header's extra field only (PyTorch aligns data to 64 bytes so). */
  localPad?: number;
}

/**
 * Builds a zip by hand from APPNOTE 4.3.7 (local header), 4.3.12 (central header), 4.3.16 (end
 * record); with `zip64`, sizes and offsets saturate at 0xffffffff and live in the 0x0001 extra field
 * (4.5.3), and a zip64 end record (4.3.14) and locator (4.3.15) precede a saturated end record.
 */
function buildZip(entries: Entry[], zip64 = false): Uint8Array {
  const parts: number[] = [];
  const u16 = (v: number) => parts.push(v & 0xff, (v >> 8) & 0xff);
  const u32 = (v: number) => parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  const u64 = (v: number) => {
    u32(v);
    u32(0);
  };
  const bytes = (b: Uint8Array) => parts.push(...b);
  const infos = entries.map((e) => {
    const comp = e.method === 8 ? new Uint8Array(deflateRawSync(e.data)) : e.data;
    return { ...e, name: new TextEncoder().encode(e.name), comp, crc: e.crc ?? crc32(e.data), offset: 0 };
  });
  // the fields local and central headers share: flags, method, DOS time and date (1980-01-01), CRC-32
  const flagsToCrc = (e: (typeof infos)[number]) => {
    u16(e.flags ?? 0);
    u16(e.method ?? 0);
    u16(0);
    u16(0x21);
    u32(e.crc);
  };
  for (const e of infos) {
    e.offset = parts.length;
    u32(0x04034b50);
    u16(45);
    flagsToCrc(e);
    u32(e.comp.length);
    u32(e.data.length);
    u16(e.name.length);
    u16(e.localPad ?? 0);
    bytes(e.name);
    for (let k = 0; k < (e.localPad ?? 0); k++) parts.push(0x5a); // "FB" padding payload, ignored by readers
    bytes(e.comp);
  }
  const cd = parts.length;
  for (const e of infos) {
    u32(0x02014b50);
    u16(45);
    u16(45);
    flagsToCrc(e);
    u32(zip64 ? 0xffffffff : e.comp.length);
    u32(zip64 ? 0xffffffff : e.data.length);
    u16(e.name.length);
    u16(zip64 ? 28 : 0);
    u16(0);
    u16(0);
    u16(0);
    u32(0);
    u32(zip64 ? 0xffffffff : e.offset);
    bytes(e.name);
    if (zip64) {
      u16(0x0001);
      u16(24);
      u64(e.data.length);
      u64(e.comp.length);
      u64(e.offset);
    }
  }
  const cdSize = parts.length - cd;
  if (zip64) {
    const z = parts.length;
    u32(0x06064b50);
    u64(44);
    u16(45);
    u16(45);
    u32(0);
    u32(0);
    u64(infos.length);
    u64(infos.length);
    u64(cdSize);
    u64(cd);
    u32(0x07064b50);
    u32(0);
    u64(z);
    u32(1);
    u32(0x06054b50);
    u16(0);
    u16(0);
    u16(0xffff);
    u16(0xffff);
    u32(0xffffffff);
    u32(0xffffffff);
    u16(0);
  } else {
    u32(0x06054b50);
    u16(0);
    u16(0);
    u16(infos.length);
    u16(infos.length);
    u32(cdSize);
    u32(cd);
    u16(0);
  }
  return new Uint8Array(parts);
}

describe("crc32", () => {
  it("matches the CRC-32/ISO-HDLC check value and zlib", () => {
    // the catalogue check value of CRC-32 for "123456789"
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe("readZip", () => {
  it("reads Python zipfile's deflated and stored entries", () => {
    const z = readZip(fixture("deflated.zip"));
    expect([...z.keys()]).toEqual(["text/hello.txt", "raw.bin"]);
    expect(text(z.get("text/hello.txt"))).toBe("hello sCM ".repeat(50));
    expect(Array.from(z.get("raw.bin") ?? [])).toEqual([...Array(16).keys()]);
  });

  it("inflates an entry deflated by node:zlib", () => {
    const data = new TextEncoder().encode("abcabcabc".repeat(1000));
    const z = readZip(buildZip([{ name: "a.txt", data, method: 8 }]));
    expect(z.get("a.txt")).toEqual(data);
  });

  it("reads a PyTorch-style archive whose local headers carry alignment padding", () => {
    // torch.save writes stored entries like archive/data.pkl and archive/data/0, padding each local
    // header's extra field so the data starts on a 64-byte boundary; the central header has no extra
    const pkl = new Uint8Array([0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e]);
    const weights = new Uint8Array(new Float32Array([1, 2, 3]).buffer);
    const z = readZip(
      buildZip([
        { name: "archive/data.pkl", data: pkl, localPad: 18 },
        { name: "archive/data/0", data: weights, localPad: 20 },
      ]),
    );
    expect(z.get("archive/data.pkl")).toEqual(pkl);
    expect(Array.from(new Float32Array((z.get("archive/data/0") as Uint8Array).slice().buffer))).toEqual([
      1, 2, 3,
    ]);
  });

  it("follows zip64 records and extra fields", () => {
    const data = new Uint8Array(300).map((_, i) => i * 7);
    const z = readZip(
      buildZip(
        [
          { name: "x.bin", data },
          { name: "y.bin", data: data.subarray(0, 5), method: 8 },
        ],
        true,
      ),
    );
    expect(z.get("x.bin")).toEqual(data);
    expect(z.get("y.bin")).toEqual(data.subarray(0, 5));
  });

  it("rejects non-zip bytes, bad CRCs, unknown methods and encryption with a FormatError", () => {
    expect(() => readZip(new Uint8Array(100))).toThrow(/no zip end-of-central-directory record/);
    const data = new TextEncoder().encode("hello");
    expect(() => readZip(buildZip([{ name: "h", data, crc: 1 }]))).toThrow(
      /"h" has CRC-32 0x3610a686; its header says 0x00000001/,
    );
    expect(() => readZip(buildZip([{ name: "h", data, method: 12 as 0 }]))).toThrow(/method 12/);
    expect(() => readZip(buildZip([{ name: "h", data, flags: 1 }]))).toThrow(FormatError);
  });
});

describe("writeZip", () => {
  it("lays out stored entries per APPNOTE with correct CRC-32", () => {
    const data = new TextEncoder().encode("hello");
    const z = writeZip({ "h.txt": data });
    const dv = new DataView(z.buffer);
    expect(dv.getUint32(0, true)).toBe(0x04034b50); // local file header
    expect(dv.getUint16(8, true)).toBe(0); // stored
    expect(dv.getUint32(14, true)).toBe(0x3610a686); // CRC-32 of "hello" (zlib.crc32(b"hello"))
    expect(dv.getUint32(18, true)).toBe(5);
    expect(text(z.subarray(30, 35))).toBe("h.txt");
    expect(text(z.subarray(35, 40))).toBe("hello");
    const eocd = z.length - 22;
    expect(dv.getUint32(eocd, true)).toBe(0x06054b50);
    expect(dv.getUint16(eocd + 10, true)).toBe(1); // entries
    expect(dv.getUint32(eocd + 16, true)).toBe(40); // central directory right after the entry
    expect(z.length).toBe(40 + 46 + 5 + 22);
  });

  it("round-trips names (UTF-8 too), empty and large entries in order", () => {
    const big = new Uint8Array(100_000).map((_, i) => (i * 31) & 0xff);
    const entries = new Map([
      ["empty", new Uint8Array(0)],
      ["dir/β.bin", big],
      ["x", new Uint8Array([1])],
    ]);
    const back = readZip(writeZip(entries));
    expect([...back.keys()]).toEqual([...entries.keys()]);
    for (const [k, v] of entries) expect(back.get(k)).toEqual(v);
  });
});
