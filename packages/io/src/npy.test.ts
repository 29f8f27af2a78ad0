import { readFileSync } from "node:fs";
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import type { NdArray } from "./dtype.js";
import { FormatError } from "./errors.js";
import { decodeNpy, encodeNpy } from "./npy.js";

// Reference files written by numpy 2.x's np.save (see fixtures/make_fixtures.py).
const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

/** Row-major values of an ndarray, read through get() so strides are honoured. */
function values(a: NdArray): (number | bigint)[] {
  const out: (number | bigint)[] = [];
  const idx = new Array<number>(a.shape.length).fill(0);
  const n = a.shape.reduce((s, d) => s * d, 1);
  for (let i = 0; i < n; i++) {
    out.push(a.get(...idx));
    for (let k = a.shape.length - 1; k >= 0; k--) {
      idx[k] = (idx[k] as number) + 1;
      if ((idx[k] as number) < (a.shape[k] as number)) break;
      idx[k] = 0;
    }
  }
  return out;
}

describe("encodeNpy", () => {
  it("writes the bytes numpy.save writes, for every fixture numpy made", () => {
    const cases: [string, NdArray][] = [
      ["f4_2x3.npy", ndarray(new Float32Array([0, 0.25, 0.5, 0.75, 1, 1.25]), [2, 3])],
      ["f8_0d.npy", ndarray(new Float64Array([-1.5]), [])],
      ["i4_0x3.npy", ndarray(new Int32Array(0), [0, 3])],
      ["u1_3.npy", ndarray(new Uint8Array([0, 127, 255]), [3])],
      ["i8_2.npy", ndarray(new BigInt64Array([-(2n ** 62n), 2n ** 40n + 7n]), [2])],
    ];
    for (const [name, a] of cases) expect(encodeNpy(a), name).toEqual(fixture(name));
  });

  it("pads the header so the data starts at a multiple of 64 bytes", () => {
    // magic(6) + version(2) + length(2) + header; numpy's ARRAY_ALIGN is 64
    for (const shape of [[], [1], [123456789, 0], [2, 3, 4, 5, 6, 7, 8]]) {
      const n = shape.reduce((s, d) => s * d, 1);
      const bytes = encodeNpy(ndarray(new Float32Array(n), shape));
      const headerLen = (bytes[8] as number) | ((bytes[9] as number) << 8);
      expect((10 + headerLen) % 64).toBe(0);
      expect(bytes[10 + headerLen - 1]).toBe(0x0a); // header ends in '\n'
    }
  });

  it("writes a strided view in C order", () => {
    // transpose of [[0,1,2],[3,4,5]] is [[0,3],[1,4],[2,5]]
    const t = ndarray(new Float64Array([0, 1, 2, 3, 4, 5]), [2, 3]).transpose(1, 0);
    expect(Array.from(decodeNpy(encodeNpy(t)).data as Float64Array)).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it("rejects a plain JS array with a FormatError", () => {
    expect(() => encodeNpy(ndarray([1, 2, 3] as unknown as Float64Array))).toThrow(
      /plain Array; expected a typed array/,
    );
  });
});

describe("decodeNpy", () => {
  it("reads numpy's float32, float64 0-d, empty, uint8 and int64 files", () => {
    const f4 = decodeNpy(fixture("f4_2x3.npy"));
    expect(f4.data).toBeInstanceOf(Float32Array);
    expect(f4.shape).toEqual([2, 3]);
    expect(values(f4)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
    const f8 = decodeNpy(fixture("f8_0d.npy"));
    expect(f8.shape).toEqual([]);
    expect(f8.get()).toBe(-1.5);
    const empty = decodeNpy(fixture("i4_0x3.npy"));
    expect(empty.shape).toEqual([0, 3]);
    expect(empty.data).toBeInstanceOf(Int32Array);
    expect(empty.data.length).toBe(0);
    expect(Array.from(decodeNpy(fixture("u1_3.npy")).data as Uint8Array)).toEqual([0, 127, 255]);
    const i8 = decodeNpy(fixture("i8_2.npy"));
    expect(i8.data).toBeInstanceOf(BigInt64Array);
    expect(Array.from(i8.data as BigInt64Array)).toEqual([-(2n ** 62n), 2n ** 40n + 7n]);
  });

  it("reads format versions 2.0 and 3.0", () => {
    for (const name of ["i4_v2.npy", "i4_v3.npy"]) {
      const a = decodeNpy(fixture(name));
      expect(a.shape).toEqual([2, 2]);
      expect(values(a)).toEqual([1, -2, 3, -4]);
    }
  });

  it("returns fortran_order arrays as transposed views with the right elements", () => {
    // numpy: np.asfortranarray(np.arange(6.).reshape(2, 3)); element [i, j] is 3i + j
    const a = decodeNpy(fixture("f8_fortran_2x3.npy"));
    expect(a.shape).toEqual([2, 3]);
    expect(values(a)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(a.data as Float64Array)).toEqual([0, 3, 1, 4, 2, 5]); // the file's column-major order
  });

  it("widens float16 exactly to float32", () => {
    // 65504 is the largest finite half; -0.5 and 1 are exact
    expect(Array.from(decodeNpy(fixture("f2_3.npy")).data as Float32Array)).toEqual([1, -0.5, 65504]);
  });

  it("rejects big-endian data naming it", () => {
    expect(() => decodeNpy(fixture("f4_be.npy"))).toThrow(/'>f4' is big-endian/);
  });

  it("rejects bytes without the magic, unknown versions and truncated data", () => {
    expect(() => decodeNpy(new Uint8Array([1, 2, 3]))).toThrow(FormatError);
    const v9 = fixture("u1_3.npy");
    v9[6] = 9;
    expect(() => decodeNpy(v9)).toThrow(/version is 9\.0/);
    const short = fixture("f4_2x3.npy").subarray(0, 140);
    expect(() => decodeNpy(short)).toThrow(/holds 12 bytes; expected 24/);
  });

  it("round-trips every dtype bit-exactly, including NaN payloads and a >64 KiB array", () => {
    const n = 20_000; // 80 KiB of float32
    const f32 = new Float32Array(n).map((_, i) => Math.sin(i) * 1e3);
    new Uint32Array(f32.buffer)[5] = 0x7fc00123; // a NaN with a payload
    const arrays: NdArray[] = [
      ndarray(f32, [4, 5000]),
      ndarray(new Float64Array([Math.PI, -0, Number.MIN_VALUE, Number.MAX_VALUE]), [2, 2]),
      ndarray(new Int32Array([-(2 ** 31), 2 ** 31 - 1, 0]), [3]),
      ndarray(new Int16Array([-32768, 32767]), [2, 1]),
      ndarray(new Int8Array([-128, 127]), [2]),
      ndarray(new Uint32Array([2 ** 32 - 1]), [1, 1, 1]),
      ndarray(new Uint16Array([65535, 1]), [2]),
      ndarray(new Uint8Array([255]), []),
      ndarray(new BigInt64Array([-(2n ** 63n)]), []),
      ndarray(new BigUint64Array([2n ** 64n - 1n, 0n]), [2]),
      ndarray(new Float32Array(0), [3, 0, 2]),
    ];
    for (const a of arrays) {
      const back = decodeNpy(encodeNpy(a));
      expect(back.shape).toEqual(a.shape);
      expect(back.data.constructor).toBe(a.data.constructor);
      const bytes = (x: NdArray) => new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength);
      expect(bytes(back)).toEqual(bytes(a));
    }
  });
});
