import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TorchPickleError } from "./errors.js";
import { isZip, readTorchStateDict } from "./torch-checkpoint.js";

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

// Both fixtures hold the same state_dict (scripts/make_torch_fixtures.py writes them in torch's two
// layouts); every value is exact in its dtype, so the checks are exact.
describe.each([["state_dict_zip.pth"], ["state_dict_legacy.pth"]])("readTorchStateDict (%s)", (name) => {
  const dict = readTorchStateDict(fixture(name), name);

  it("lists the tensors in the saved order", () => {
    expect([...dict.keys()]).toEqual([
      "conv.weight",
      "bn.running_mean",
      "bn.num_batches_tracked",
      "half",
      "double.T",
    ]);
  });

  it("rebuilds an OIHW float32 tensor and a view at an offset into the same storage", () => {
    const w = dict.get("conv.weight")!;
    expect(w.shape).toEqual([2, 1, 2, 2]);
    expect(Array.from(w.data as Float32Array)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]);
    expect(Array.from(dict.get("bn.running_mean")!.data as Float32Array)).toEqual([4, 4.5]);
  });

  it("reads int64 scalars, float16 (widened to float32) and strided float64", () => {
    const count = dict.get("bn.num_batches_tracked")!;
    expect(count.shape).toEqual([]);
    expect((count.data as BigInt64Array)[0]).toBe(12345678901n);
    // 0.333 in float16 is 0.33300781…: the nearest half, widened exactly
    expect(Array.from(dict.get("half")!.data as Float32Array)).toEqual([1, -2, 0.3330078125]);
    const t = dict.get("double.T")!;
    expect(t.data).toBeInstanceOf(Float64Array);
    expect(Array.from(t.data as Float64Array)).toEqual([1, 3, 2, 4]); // strides (1, 2): the transpose
  });
});

describe("isZip", () => {
  it("tells the two formats apart by the zip signature", () => {
    expect(isZip(fixture("state_dict_zip.pth"))).toBe(true);
    expect(isZip(fixture("state_dict_legacy.pth"))).toBe(false);
  });
});

describe("readTorchStateDict errors", () => {
  it("rejects bytes that are no checkpoint, naming the source", () => {
    expect(() => readTorchStateDict(new TextEncoder().encode("hello"), "x.pth")).toThrow(TorchPickleError);
    expect(() => readTorchStateDict(new TextEncoder().encode("hello"), "x.pth")).toThrow(/x\.pth/);
  });

  it("rejects a truncated legacy file", () => {
    const bytes = fixture("state_dict_legacy.pth");
    expect(() => readTorchStateDict(bytes.subarray(0, bytes.length - 4), "cut.pth")).toThrow(
      "cut.pth is truncated",
    );
  });
});
