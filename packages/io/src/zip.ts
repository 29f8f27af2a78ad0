// ZIP archives (PKWARE APPNOTE 6.3): reading stored and deflated entries, zip64 included (numpy's
// savez/savez_compressed and PyTorch's .pth files); writing stored entries with correct CRC-32.
import { Inflate } from "fflate";
import { describe, quote } from "./describe.js";
import { FormatError, LimitError } from "./errors.js";
import { type ReadLimits, readLimits } from "./limits.js";

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const FLAG_ENCRYPTED = 0x1;
const FLAG_UTF8 = 0x800;
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO-HDLC, as zip and PNG use) of some bytes; pass the CRC of what came before to continue it. */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++)
    c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Reads every file entry of a zip archive (stored or deflated, zip64 aware) into a name → bytes map. */
export function readZip(bytes: Uint8Array, limits: Partial<ReadLimits> = {}): Map<string, Uint8Array> {
  const lim = readLimits(limits);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number) => dv.getUint16(o, true);
  const u32 = (o: number) => dv.getUint32(o, true);
  const u64 = (o: number) => {
    const v = dv.getBigUint64(o, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER))
      throw new FormatError("zip", `Zip64 field at byte ${o} is ${v}; expected a size below 2^53.`);
    return Number(v);
  };
  // End of central directory: 22 bytes plus a comment of up to 65535 bytes, found from the end.
  let eocd = -1;
  for (let o = bytes.length - 22; o >= Math.max(0, bytes.length - 22 - MAX16); o--) {
    if (u32(o) === SIG_EOCD && o + 22 + u16(o + 20) <= bytes.length) {
      eocd = o;
      break;
    }
  }
  if (eocd < 0) {
    throw new FormatError(
      "zip",
      `Input of ${bytes.length} bytes has no zip end-of-central-directory record; expected a zip archive.`,
      { field: "eocd" },
    );
  }
  let count = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if (count === MAX16 || cdSize === MAX32 || cdOffset === MAX32) {
    const loc = eocd - 20;
    if (loc < 0 || u32(loc) !== SIG_ZIP64_LOCATOR) {
      throw new FormatError("zip", "Zip end record holds zip64 markers but no zip64 locator precedes it.", {
        field: "zip64",
      });
    }
    const z = u64(loc + 8);
    if (z + 56 > bytes.length || u32(z) !== SIG_ZIP64_EOCD) {
      throw new FormatError(
        "zip",
        `Zip64 locator points at byte ${z}, which is not a zip64 end-of-central-directory record.`,
        { field: "zip64" },
      );
    }
    count = u64(z + 32);
    cdSize = u64(z + 40);
    cdOffset = u64(z + 48);
  }
  const cdEnd = cdOffset + cdSize;
  if (cdEnd > bytes.length) {
    throw new FormatError(
      "zip",
      `Zip central directory spans bytes ${cdOffset}..${cdEnd}; the input has ${bytes.length}.`,
      { field: "central directory" },
    );
  }
  // Pass 1: the central directory, every field checked against the bytes it claims, nothing inflated.
  const entries: Entry[] = [];
  const utf8 = new TextDecoder("utf-8");
  let inflated = 0;
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cdEnd || u32(p) !== SIG_CENTRAL) {
      throw new FormatError("zip", `Zip central directory entry ${n} at byte ${p} has a bad signature.`, {
        field: "central directory",
      });
    }
    const flags = u16(p + 8);
    const method = u16(p + 10);
    const crc = u32(p + 16);
    let compSize = u32(p + 20);
    let size = u32(p + 24);
    const nameLen = u16(p + 28);
    const extraLen = u16(p + 30);
    const commentLen = u16(p + 32);
    let localOffset = u32(p + 42);
    const next = p + 46 + nameLen + extraLen + commentLen;
    if (next > cdEnd) {
      throw new FormatError(
        "zip",
        `Zip central directory entry ${n} at byte ${p} runs to byte ${next}, past the directory's end at ${cdEnd}.`,
        { field: "central directory" },
      );
    }
    const name = utf8.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // zip64 extended information (tag 0x0001) holds, in order, the fields saturated at 0xffffffff
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const tag = u16(e);
      const len = u16(e + 2);
      if (e + 4 + len > extraEnd) {
        throw new FormatError(
          "zip",
          `Zip entry ${quote(name)} has an extra field of ${len} bytes at byte ${e} that overruns its extra data.`,
          { field: name },
        );
      }
      if (tag === 0x0001) {
        let q = e + 4;
        const want =
          (size === MAX32 ? 8 : 0) + (compSize === MAX32 ? 8 : 0) + (localOffset === MAX32 ? 8 : 0);
        if (want > len) {
          throw new FormatError(
            "zip",
            `Zip entry ${quote(name)} has a zip64 field of ${len} bytes; its saturated sizes need ${want}.`,
            { field: name },
          );
        }
        if (size === MAX32) {
          size = u64(q);
          q += 8;
        }
        if (compSize === MAX32) {
          compSize = u64(q);
          q += 8;
        }
        if (localOffset === MAX32) localOffset = u64(q);
      }
      e += 4 + len;
    }
    p = next;
    if (name.endsWith("/") && size === 0) continue; // a directory
    if (flags & FLAG_ENCRYPTED)
      throw new FormatError("zip", `Zip entry ${quote(name)} is encrypted; expected plain entries.`, {
        field: name,
      });
    if (method !== 0 && method !== 8) {
      throw new FormatError(
        "zip",
        `Zip entry ${quote(name)} uses compression method ${method}; expected 0 (stored) or 8 (deflate).`,
        { field: name },
      );
    }
    if (method === 0 && compSize !== size) {
      throw new FormatError(
        "zip",
        `Zip entry ${quote(name)} is stored with ${compSize} bytes; its header says ${size}.`,
        { field: name },
      );
    }
    if (localOffset + 30 > bytes.length || u32(localOffset) !== SIG_LOCAL) {
      throw new FormatError(
        "zip",
        `Zip entry ${quote(name)} points at byte ${localOffset}, which is not a local file header.`,
        { field: name },
      );
    }
    // the local header's name and extra lengths may differ from the central ones (PyTorch pads here)
    const dataStart = localOffset + 30 + u16(localOffset + 26) + u16(localOffset + 28);
    if (dataStart + compSize > bytes.length) {
      throw new FormatError(
        "zip",
        `Zip entry ${quote(name)} needs bytes ${dataStart}..${dataStart + compSize}; the input has ${bytes.length}.`,
        { field: name },
      );
    }
    if (method === 8) {
      inflated += size;
      if (inflated > lim.maxInflatedBytes)
        throw new LimitError(
          "zip",
          `Zip archive's inflated size through entry ${quote(name)}`,
          inflated,
          "maxInflatedBytes",
          lim.maxInflatedBytes,
          { field: name },
        );
    }
    entries.push({ name, method, crc, size, raw: bytes.subarray(dataStart, dataStart + compSize) });
  }
  // Pass 2: the data, each deflate stream stopped as soon as it outgrows its declared size.
  const out = new Map<string, Uint8Array>();
  for (const { name, method, crc, size, raw } of entries) {
    if (out.has(name))
      throw new FormatError("zip", `Zip archive holds ${quote(name)} twice; expected unique entry names.`, {
        field: name,
      });
    const data = method === 0 ? new Uint8Array(raw) : inflateBounded(raw, size, name); // a copy, never a view
    const actual = crc32(data);
    if (actual !== crc) {
      throw new FormatError(
        "zip",
        `Zip entry ${quote(name)} has CRC-32 ${hex(actual)}; its header says ${hex(crc)}.`,
        { field: name },
      );
    }
    out.set(name, data);
  }
  return out;
}

interface Entry {
  name: string;
  method: number;
  crc: number;
  size: number;
  raw: Uint8Array;
}

const INFLATE_CHUNK = 16 * 1024; // input bytes per step: at most ~16 MB of output between checks

/** Inflates a raw deflate stream into exactly `size` bytes, refusing it the moment it produces more or ends short. */
function inflateBounded(raw: Uint8Array, size: number, name: string): Uint8Array {
  // chunks are kept as they come, so memory follows the real output, never just the declared size
  const chunks: Uint8Array[] = [];
  let got = 0;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    got += chunk.length;
    if (got > size)
      throw new FormatError(
        "zip",
        `Zip entry ${quote(name)} inflates to more than the ${size} bytes its header says.`,
        { field: name },
      );
    chunks.push(chunk.slice());
    if (final) ended = true;
  });
  try {
    if (raw.length === 0) inflater.push(new Uint8Array(0), true);
    for (let o = 0; o < raw.length; o += INFLATE_CHUNK)
      inflater.push(raw.subarray(o, o + INFLATE_CHUNK), o + INFLATE_CHUNK >= raw.length);
  } catch (err) {
    if (err instanceof FormatError) throw err;
    throw new FormatError(
      "zip",
      `Zip entry ${quote(name)} is not valid deflate data: ${describe(err instanceof Error ? err.message : err)}.`,
      { field: name, cause: err },
    );
  }
  if (!ended || got !== size)
    throw new FormatError("zip", `Zip entry ${quote(name)} holds ${got} bytes; its header says ${size}.`, {
      field: name,
    });
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(size);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}

/** Writes a zip archive of stored (uncompressed) entries, in insertion order, dated 1980-01-01 for reproducibility. */
export function writeZip(entries: Map<string, Uint8Array> | Record<string, Uint8Array>): Uint8Array {
  const list = entries instanceof Map ? [...entries] : Object.entries(entries);
  if (list.length > MAX16 - 1)
    throw new FormatError(
      "zip",
      `Zip archive of ${list.length} entries needs zip64; expected at most 65534 entries.`,
    );
  const enc = new TextEncoder();
  const items = list.map(([name, data]) => {
    const nameBytes = enc.encode(name);
    if (nameBytes.length > MAX16)
      throw new FormatError(
        "zip",
        `Zip entry name of ${nameBytes.length} bytes is too long; expected at most 65535.`,
        { field: name },
      );
    if (!(data instanceof Uint8Array))
      throw new FormatError("zip", `Zip entry "${name}" is not a Uint8Array.`, { field: name });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII test
    return { name, nameBytes, data, crc: crc32(data), utf8: !/^[\x00-\x7f]*$/.test(name) };
  });
  const localSize = items.reduce((s, it) => s + 30 + it.nameBytes.length + it.data.length, 0);
  const cdSize = items.reduce((s, it) => s + 46 + it.nameBytes.length, 0);
  if (localSize + cdSize > MAX32)
    throw new FormatError(
      "zip",
      `Zip archive of ${localSize + cdSize} bytes needs zip64; expected under 4 GiB.`,
    );
  const out = new Uint8Array(localSize + cdSize + 22);
  const dv = new DataView(out.buffer);
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  let p = 0;
  const offsets: number[] = [];
  for (const it of items) {
    offsets.push(p);
    dv.setUint32(p, SIG_LOCAL, true);
    dv.setUint16(p + 4, 20, true); // version needed 2.0
    dv.setUint16(p + 6, it.utf8 ? FLAG_UTF8 : 0, true);
    dv.setUint16(p + 8, 0, true); // stored
    dv.setUint16(p + 10, 0, true); // time 00:00:00
    dv.setUint16(p + 12, DOS_DATE, true);
    dv.setUint32(p + 14, it.crc, true);
    dv.setUint32(p + 18, it.data.length, true);
    dv.setUint32(p + 22, it.data.length, true);
    dv.setUint16(p + 26, it.nameBytes.length, true);
    dv.setUint16(p + 28, 0, true);
    out.set(it.nameBytes, p + 30);
    out.set(it.data, p + 30 + it.nameBytes.length);
    p += 30 + it.nameBytes.length + it.data.length;
  }
  const cdStart = p;
  items.forEach((it, k) => {
    dv.setUint32(p, SIG_CENTRAL, true);
    dv.setUint16(p + 4, 20, true); // made by: MS-DOS, 2.0
    dv.setUint16(p + 6, 20, true);
    dv.setUint16(p + 8, it.utf8 ? FLAG_UTF8 : 0, true);
    dv.setUint16(p + 10, 0, true);
    dv.setUint16(p + 12, 0, true);
    dv.setUint16(p + 14, DOS_DATE, true);
    dv.setUint32(p + 16, it.crc, true);
    dv.setUint32(p + 20, it.data.length, true);
    dv.setUint32(p + 24, it.data.length, true);
    dv.setUint16(p + 28, it.nameBytes.length, true);
    // extra, comment, disk, internal and external attributes stay 0
    dv.setUint32(p + 42, offsets[k] as number, true);
    out.set(it.nameBytes, p + 46);
    p += 46 + it.nameBytes.length;
  });
  dv.setUint32(p, SIG_EOCD, true);
  dv.setUint16(p + 8, items.length, true);
  dv.setUint16(p + 10, items.length, true);
  dv.setUint32(p + 12, p - cdStart, true);
  dv.setUint32(p + 16, cdStart, true);
  return out;
}
