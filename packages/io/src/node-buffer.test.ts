// Node's Buffer is a Uint8Array whose `slice` returns a view, and files come back from node:fs as
// Buffers that may sit inside a larger pooled ArrayBuffer: every decoder must read the same values
// from a Buffer as from a plain Uint8Array.
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { decodeNpy, encodeNpy } from "./npy.js";
import { decodeNpz, encodeNpz } from "./npz.js";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.js";

/** The bytes as a Buffer that does not start at its ArrayBuffer's first byte. */
function inBuffer(bytes: Uint8Array): Buffer {
  const junk = Buffer.alloc(13, 0xab);
  return Buffer.concat([junk, bytes]).subarray(junk.length);
}

const values = Float32Array.from({ length: 10 }, (_, i) => i + 0.5);

describe("decoders given a Node Buffer", () => {
  it("decodeSafetensors reads the same values", () => {
    const bytes = encodeSafetensors({ a: ndarray(values, [2, 5]) });
    const back = decodeSafetensors(inBuffer(bytes)).tensors["a"]!.data as Float32Array;
    expect(Array.from(back)).toEqual(Array.from(values));
  });

  it("decodeNpy and decodeNpz read the same values", () => {
    const npy = decodeNpy(inBuffer(encodeNpy(ndarray(values, [10])))).data as Float32Array;
    expect(Array.from(npy)).toEqual(Array.from(values));
    const npz = decodeNpz(inBuffer(encodeNpz({ a: ndarray(values, [10]) })));
    expect(Array.from(npz["a"]!.data as Float32Array)).toEqual(Array.from(values));
  });
});
