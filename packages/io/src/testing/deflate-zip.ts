// A zip writer for tests: deflated entries (as numpy's savez_compressed writes), and optionally a
// declared size that lies, to build the archives a reader must refuse (deflate bombs, short entries).
import { deflateSync } from "fflate";
import { crc32 } from "../zip.js";

/** One entry of `deflatedZip`. */
export interface DeflatedEntry {
  /** The entry's bytes before compression. */
  data: Uint8Array;
  /** The uncompressed size to write in the headers (default the true size). */
  declaredSize?: number;
  /** Already-deflated bytes to store instead of deflating `data` (then `data` only gives the CRC). */
  deflated?: Uint8Array;
}

/** A zip archive of deflated entries, in insertion order. */
export function deflatedZip(entries: Record<string, DeflatedEntry>): Uint8Array {
  const enc = new TextEncoder();
  const items = Object.entries(entries).map(([name, e]) => ({
    name: enc.encode(name),
    comp: e.deflated ?? deflateSync(e.data, { level: 9 }),
    crc: crc32(e.data),
    size: e.declaredSize ?? e.data.length,
  }));
  const localSize = items.reduce((s, it) => s + 30 + it.name.length + it.comp.length, 0);
  const cdSize = items.reduce((s, it) => s + 46 + it.name.length, 0);
  const out = new Uint8Array(localSize + cdSize + 22);
  const dv = new DataView(out.buffer);
  const offsets: number[] = [];
  let p = 0;
  for (const it of items) {
    offsets.push(p);
    dv.setUint32(p, 0x04034b50, true);
    dv.setUint16(p + 4, 20, true);
    dv.setUint16(p + 8, 8, true); // deflate
    dv.setUint32(p + 14, it.crc, true);
    dv.setUint32(p + 18, it.comp.length, true);
    dv.setUint32(p + 22, it.size, true);
    dv.setUint16(p + 26, it.name.length, true);
    out.set(it.name, p + 30);
    out.set(it.comp, p + 30 + it.name.length);
    p += 30 + it.name.length + it.comp.length;
  }
  const cdStart = p;
  items.forEach((it, k) => {
    dv.setUint32(p, 0x02014b50, true);
    dv.setUint16(p + 4, 20, true);
    dv.setUint16(p + 6, 20, true);
    dv.setUint16(p + 10, 8, true);
    dv.setUint32(p + 16, it.crc, true);
    dv.setUint32(p + 20, it.comp.length, true);
    dv.setUint32(p + 24, it.size, true);
    dv.setUint16(p + 28, it.name.length, true);
    dv.setUint32(p + 42, offsets[k] as number, true);
    out.set(it.name, p + 46);
    p += 46 + it.name.length;
  });
  dv.setUint32(p, 0x06054b50, true);
  dv.setUint16(p + 8, items.length, true);
  dv.setUint16(p + 10, items.length, true);
  dv.setUint32(p + 12, p - cdStart, true);
  dv.setUint32(p + 16, cdStart, true);
  return out;
}
