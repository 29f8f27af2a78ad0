import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import type { NdArray } from "./dtype.js";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.js";

const enc = (s: string) => new TextEncoder().encode(s);
const le64 = (n: number) => [n, 0, 0, 0, 0, 0, 0, 0];
const f32Bytes = (xs: number[]) => [...new Uint8Array(new Float32Array(xs).buffer)];

describe("encodeSafetensors", () => {
  it("writes the spec's example layout byte for byte", () => {
    // huggingface/safetensors tensor.rs test_serialization: "attn.0" F32 [1,2,3] = 0..5; the JSON is
    // exactly 64 bytes, so no padding, and the data follows at byte 72
    const json = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(json.length).toBe(64);
    const expected = [...le64(64), ...enc(json), ...f32Bytes([0, 1, 2, 3, 4, 5])];
    const out = encodeSafetensors({ "attn.0": ndarray(new Float32Array([0, 1, 2, 3, 4, 5]), [1, 2, 3]) });
    expect(Array.from(out)).toEqual(expected);
  });

  it("pads the header with spaces to a multiple of 8", () => {
    // test_serialization_forced_alignement: "attn0" [1,1,2,3] gives 65 JSON bytes, padded with 7 spaces to 72
    const json = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}';
    expect(json.length).toBe(65);
    const expected = [...le64(72), ...enc(json), ...Array(7).fill(0x20), ...f32Bytes([0, 1, 2, 3, 4, 5])];
    const out = encodeSafetensors({ attn0: ndarray(new Float32Array([0, 1, 2, 3, 4, 5]), [1, 1, 2, 3]) });
    expect(Array.from(out)).toEqual(expected);
  });

  it("writes an empty file and metadata first, as the reference does", () => {
    // test_empty: "{}" + 6 spaces; with metadata {"framework":"pt"} 35 bytes + 5 spaces
    expect(Array.from(encodeSafetensors({}))).toEqual([...le64(8), ...enc("{}      ")]);
    const meta = '{"__metadata__":{"framework":"pt"}}';
    expect(Array.from(encodeSafetensors({}, { framework: "pt" }))).toEqual([
      ...le64(40),
      ...enc(`${meta}     `),
    ]);
  });

  it("orders tensors by dtype, widest first, then by name", () => {
    const out = encodeSafetensors({
      b: ndarray(new Uint8Array([1]), [1]),
      a: ndarray(new Uint8Array([2]), [1]),
      z: ndarray(new Float64Array([3]), [1]),
      m: ndarray(new Float32Array([4]), [1]),
      i: ndarray(new BigInt64Array([5n]), [1]),
    });
    const n = Number(new DataView(out.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(out.subarray(8, 8 + n)));
    // Dtype enum order ... U8 < F32 < F64 < I64, sorted descending
    expect(Object.keys(header)).toEqual(["i", "z", "m", "a", "b"]);
    expect(header.z.data_offsets).toEqual([8, 16]);
    expect(header.b.data_offsets).toEqual([21, 22]);
  });
});

describe("decodeSafetensors", () => {
  it("round-trips every dtype bit-exactly with metadata, 0-d, empty and >64 KiB tensors", () => {
    const big = new Float32Array(20_000).map((_, i) => Math.sqrt(i) - 50);
    const tensors: Record<string, NdArray> = {
      big: ndarray(big, [200, 100]),
      f64: ndarray(new Float64Array([Math.E, -0]), [2]),
      i32: ndarray(new Int32Array([-1, 2, -3]), [3, 1]),
      i16: ndarray(new Int16Array([-32768]), [1]),
      i8: ndarray(new Int8Array([-7]), []),
      u32: ndarray(new Uint32Array([4e9]), [1]),
      u16: ndarray(new Uint16Array([65535]), [1]),
      u8: ndarray(new Uint8Array([9, 8]), [1, 2]),
      i64: ndarray(new BigInt64Array([-(2n ** 63n)]), [1]),
      u64: ndarray(new BigUint64Array([2n ** 64n - 1n]), [1]),
      empty: ndarray(new Float32Array(0), [0, 4]),
    };
    const bytes = encodeSafetensors(tensors, { format: "pt", step: "100" });
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ format: "pt", step: "100" });
    expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [k, a] of Object.entries(tensors)) {
      const b = back.tensors[k] as NdArray;
      expect(b.shape, k).toEqual(a.shape);
      expect(b.data.constructor, k).toBe(a.data.constructor);
      expect(b.data, k).toEqual(a.data);
    }
    // re-encoding what was read reproduces the file
    expect(encodeSafetensors(back.tensors, back.metadata)).toEqual(bytes);
  });

  it("stores F16, BF16 and BOOL on request and round-trips them bit-exactly", () => {
    // halves: 1, -2, 65504 (max), 2^-24 (smallest subnormal); bfloat16: 1, -2, 3.140625 (π to 8 bits)
    const h = ndarray(new Float32Array([1, -2, 65504, 2 ** -24]), [4]);
    const bf = ndarray(new Float32Array([1, -2, 3.140625]), [3]);
    const mask = ndarray(new Uint8Array([1, 0, 1]), [3]);
    const bytes = encodeSafetensors({ h, bf, mask }, undefined, {
      dtypes: { h: "F16", bf: "BF16", mask: "BOOL" },
    });
    const back = decodeSafetensors(bytes);
    expect(back.dtypes).toEqual({ h: "F16", bf: "BF16", mask: "BOOL" });
    expect(Array.from(back.tensors.h?.data as Float32Array)).toEqual([1, -2, 65504, 2 ** -24]);
    expect(Array.from(back.tensors.bf?.data as Float32Array)).toEqual([1, -2, 3.140625]);
    expect(Array.from(back.tensors.mask?.data as Uint8Array)).toEqual([1, 0, 1]);
    // F16 bits of 1 are 0x3c00; the 2-byte tensors follow BOOL's order rule (BF16 > F16 > BOOL)
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(Object.keys(header)).toEqual(["bf", "h", "mask"]);
    expect([bytes[8 + n + 6], bytes[8 + n + 7]]).toEqual([0x00, 0x3c]);
    expect(encodeSafetensors(back.tensors, back.metadata, { dtypes: back.dtypes })).toEqual(bytes);
  });

  it("rejects truncated input, gaps, wrong sizes and unknown dtypes naming the tensor", () => {
    const make = (json: string, dataLen: number) => {
      const pad = (8 - (json.length % 8)) % 8;
      return new Uint8Array([
        ...le64(json.length + pad),
        ...enc(json + " ".repeat(pad)),
        ...new Array(dataLen).fill(0),
      ]);
    };
    expect(() => decodeSafetensors(new Uint8Array(4))).toThrow(/shorter than the 8-byte/);
    expect(() => decodeSafetensors(new Uint8Array([...le64(100), 1, 2]))).toThrow(
      /header length is 100 but only 2 bytes follow/,
    );
    expect(() =>
      decodeSafetensors(make('{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}', 12)),
    ).toThrow(/"a" data_offsets \[4, 12\] leave a gap/);
    expect(() =>
      decodeSafetensors(make('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', 8)),
    ).toThrow(/"a" spans 8 bytes; expected 12/);
    expect(() =>
      decodeSafetensors(make('{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}', 1)),
    ).toThrow(/"a" has dtype "F8_E4M3"/);
    expect(() => decodeSafetensors(make('{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', 3))).toThrow(
      /cover 1 data bytes but 3 follow/,
    );
    expect(() => decodeSafetensors(make("[1]", 0))).toThrow(/not a JSON object/);
  });
});
