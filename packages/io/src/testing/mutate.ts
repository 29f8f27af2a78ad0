// Mutations of a valid file, the way a hostile user or a damaged disk would change it: bit flips,
// boundary values in length fields, truncation, repeated and deleted ranges, splices of two files,
// and in text (headers, CSV) huge numbers, deep nesting and long runs.
import type { Rng } from "./rng.js";

/** One mutation: returns a new array, never changes its input. */
export type Mutation = (bytes: Uint8Array, rng: Rng, corpus: readonly Uint8Array[]) => Uint8Array;

const INTERESTING_8 = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x20, 0x22, 0x5b, 0x7b];
const INTERESTING_32 = [
  0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
];

const flipBit: Mutation = (b, rng) => {
  if (b.length === 0) return b;
  const out = b.slice();
  const i = rng.int(out.length);
  out[i] = (out[i] as number) ^ (1 << rng.int(8));
  return out;
};

const setByte: Mutation = (b, rng) => {
  if (b.length === 0) return b;
  const out = b.slice();
  out[rng.int(out.length)] = rng.pick(INTERESTING_8);
  return out;
};

/** A boundary value written as a 16-, 32- or 64-bit little- or big-endian integer: where length fields live. */
const setInt: Mutation = (b, rng) => {
  if (b.length < 8) return b;
  const out = b.slice();
  const dv = new DataView(out.buffer);
  const width = rng.pick([2, 4, 8]);
  // length fields sit near the start or in the last kilobyte (zip directories) more often than elsewhere
  const at =
    rng.next() < 0.5 ? rng.int(Math.min(64, out.length - width + 1)) : rng.int(out.length - width + 1);
  const v = rng.pick(INTERESTING_32);
  const le = rng.next() < 0.8;
  if (width === 2) dv.setUint16(at, v & 0xffff, le);
  else if (width === 4) dv.setUint32(at, v >>> 0, le);
  else dv.setBigUint64(at, BigInt(v) * BigInt(rng.pick([1, 0x100, 0x10000, 2 ** 32])), le);
  return out;
};

const truncate: Mutation = (b, rng) => b.slice(0, rng.int(b.length + 1));

const deleteRange: Mutation = (b, rng) => {
  if (b.length < 2) return b;
  const at = rng.int(b.length);
  const n = 1 + rng.int(Math.min(64, b.length - at));
  const out = new Uint8Array(b.length - n);
  out.set(b.subarray(0, at));
  out.set(b.subarray(at + n), at);
  return out;
};

const repeatRange: Mutation = (b, rng) => {
  if (b.length === 0) return b;
  const at = rng.int(b.length);
  const n = 1 + rng.int(Math.min(32, b.length - at));
  const times = rng.pick([2, 16, 1000]);
  const piece = b.subarray(at, at + n);
  const out = new Uint8Array(b.length + n * (times - 1));
  out.set(b.subarray(0, at));
  for (let k = 0; k < times; k++) out.set(piece, at + k * n);
  out.set(b.subarray(at + n), at + n * times);
  return out;
};

const appendJunk: Mutation = (b, rng) => {
  const n = 1 + rng.int(64);
  const out = new Uint8Array(b.length + n);
  out.set(b);
  for (let i = b.length; i < out.length; i++) out[i] = rng.int(256);
  return out;
};

const splice: Mutation = (b, rng, corpus) => {
  const other = rng.pick(corpus);
  const cut = rng.int(b.length + 1);
  const from = rng.int(other.length + 1);
  const out = new Uint8Array(cut + other.length - from);
  out.set(b.subarray(0, cut));
  out.set(other.subarray(from), cut);
  return out;
};

/** Replaces one run of ASCII digits with a huge, negative or very long number. */
const hugeNumber: Mutation = (b, rng) => {
  const runs: [number, number][] = [];
  for (let i = 0; i < b.length && runs.length < 256; i++) {
    if (!isDigit(b[i] as number)) continue;
    const s = i;
    while (i < b.length && isDigit(b[i] as number)) i++;
    runs.push([s, i]);
  }
  if (runs.length === 0) return b;
  const [s, e] = rng.pick(runs);
  const text = rng.pick(["-1", "4294967296", "9007199254740993", "1e400", "9".repeat(1 + rng.int(40_000))]);
  return replace(b, s, e, new TextEncoder().encode(text));
};

/** Inserts deep nesting or a long list at an opening bracket or a comma. */
const deepNesting: Mutation = (b, rng) => {
  const at: number[] = [];
  for (let i = 0; i < b.length && at.length < 256; i++)
    if ([0x5b, 0x7b, 0x28, 0x2c].includes(b[i] as number)) at.push(i);
  if (at.length === 0) return b;
  const i = rng.pick(at);
  const depth = rng.pick([100, 5_000, 100_000]);
  const open = rng.pick(["[", "(", '{"a":']);
  const close = open === "[" ? "]" : open === "(" ? ")" : "}";
  const text = rng.next() < 0.5 ? `${open.repeat(depth)}${close.repeat(depth)},` : "1,".repeat(depth);
  return replace(b, i + 1, i + 1, new TextEncoder().encode(text));
};

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function replace(b: Uint8Array, s: number, e: number, piece: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length - (e - s) + piece.length);
  out.set(b.subarray(0, s));
  out.set(piece, s);
  out.set(b.subarray(e), s + piece.length);
  return out;
}

/** Every mutation, by name. */
export const mutations: Readonly<Record<string, Mutation>> = {
  flipBit,
  setByte,
  setInt,
  truncate,
  deleteRange,
  repeatRange,
  appendJunk,
  splice,
  hugeNumber,
  deepNesting,
};

const NAMES = Object.keys(mutations);

/** One to four mutations of a corpus file picked by `rng`; returns the input and the mutations applied. */
export function mutate(corpus: readonly Uint8Array[], rng: Rng): { input: Uint8Array; applied: string[] } {
  let input = rng.pick(corpus);
  const applied: string[] = [];
  const n = 1 + rng.int(4);
  for (let k = 0; k < n; k++) {
    const name = rng.pick(NAMES);
    input = (mutations[name] as Mutation)(input, rng, corpus);
    applied.push(name);
  }
  return { input, applied };
}
