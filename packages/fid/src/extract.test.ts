import type { NdArray } from "@scm/io";
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { FidInputError } from "./errors.js";
import { arrayImageSource, imageToUnitRange } from "./extract.js";

describe("imageToUnitRange", () => {
  it("maps uint8 pixels by x/127.5 − 1 (pytorch-fid's x/255 then 2x − 1)", () => {
    const img = ndarray(new Uint8Array([0, 255, 51, 204]), [2, 2]) as NdArray;
    const { data, shape } = imageToUnitRange(img, "img");
    expect(shape).toEqual([2, 2, 1]);
    // 51/127.5 − 1 = −0.6 and 204/127.5 − 1 = 0.6, rounded to float32
    expect(Array.from(data)).toEqual([-1, 1, Math.fround(-0.6), Math.fround(0.6)]);
  });

  it("clips floats that overshoot [−1, 1] and rejects values that cannot be [−1, 1] samples", () => {
    const img = ndarray(new Float32Array([1.2, -1.1, 0.5]), [1, 1, 3]) as NdArray;
    expect(Array.from(imageToUnitRange(img, "img").data)).toEqual([1, -1, 0.5]);
    const bad = ndarray(new Float32Array([0, 200]), [1, 2]) as NdArray;
    expect(() => imageToUnitRange(bad, "s.npy [image 0]")).toThrow(
      "s.npy [image 0] has a pixel value 200; expected floats in [−1, 1]",
    );
  });
});

describe("arrayImageSource", () => {
  it("reads [N, H, W, C] arrays image by image and rejects other shapes", async () => {
    const source = arrayImageSource(
      ndarray(
        new Uint8Array(2 * 3 * 3 * 3).map((_, i) => i),
        [2, 3, 3, 3],
      ) as NdArray,
    );
    expect(source.count).toBe(2);
    const [, second] = await source.read(0, 2);
    expect(second!.shape).toEqual([3, 3, 3]);
    expect(second!.get(0, 0, 0)).toBe(27); // image 1 starts at flat index 3·3·3
    expect(() => arrayImageSource(ndarray(new Float32Array(4), [2, 2]) as NdArray, "f.npy")).toThrow(
      FidInputError,
    );
    expect(() =>
      arrayImageSource(ndarray(new Float32Array(16), [1, 2, 2, 4 * 2]) as NdArray, "g.npy"),
    ).toThrow("expected 1, 3 or 4 (NHWC)");
  });
});
