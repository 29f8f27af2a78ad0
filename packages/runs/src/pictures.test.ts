import { tf } from "@scm/backend";
import { decodeImage } from "@scm/io";
import { describe, expect, it } from "vitest";
import { lossCurveSvg, sampleGridPng } from "./pictures.js";

describe("sampleGridPng", () => {
  it("tiles N images with 2-pixel padding and maps −1 → 0, 1 → 255", () => {
    // 4 images 3×5×1 in 2 columns: width 2 + 2·(5 + 2) = 16, height 2 + 2·(3 + 2) = 12 (make_grid spacing)
    const x = tf.concat([tf.fill([2, 3, 5, 1], -1), tf.fill([2, 3, 5, 1], 1)]);
    const img = decodeImage(sampleGridPng(x, 2));
    expect(img.shape).toEqual([12, 16, 1]);
    expect(img.get(2, 2, 0)).toBe(0); // first image's first pixel
    expect(img.get(7, 2, 0)).toBe(255); // third image (second row)
    x.dispose();
  });

  it("rejects samples that are not images", () => {
    const x = tf.zeros([4, 2]);
    expect(() => sampleGridPng(x)).toThrow("Sample grids need images [N, H, W, C]; got shape [4, 2].");
    x.dispose();
  });
});

describe("lossCurveSvg", () => {
  it("draws an SVG document with the title", () => {
    const svg = lossCurveSvg([0, 1, 2, 3].map((step) => ({ step, loss: 1 / (step + 1) })));
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("training loss");
  });
});
