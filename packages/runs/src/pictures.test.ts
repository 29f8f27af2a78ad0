import { Rng, randomNormal, tf } from "@scm/backend";
import { countReadsAsync } from "@scm/backend/testing/count-reads";
import { decodeImage } from "@scm/io";
import { describe, expect, it } from "vitest";
import { lossCurveSvg, sampleGridPng, sampleGridPngAsync, scatterPng, scatterPngAsync } from "./pictures.js";

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

describe("sampleGridPngAsync", () => {
  it("gives sampleGridPng's bytes with one awaited read and none synchronous", async () => {
    const x = randomNormal(Rng.seeded(3), [5, 4, 3, 1], 0.7); // values past ±1 too: clipping included
    const sync = await countReadsAsync(() => sampleGridPng(x, 3));
    const async = await countReadsAsync(() => sampleGridPngAsync(x, 3));
    expect([sync.sync, sync.async, async.sync, async.async]).toEqual([1, 0, 0, 1]);
    expect(Array.from(async.value)).toEqual(Array.from(sync.value));
    x.dispose();
  });

  it("rejects samples that are not images before reading them", async () => {
    const x = tf.zeros([4, 2]);
    const counted = await countReadsAsync(() => sampleGridPngAsync(x).catch((e: unknown) => e));
    expect((counted.value as Error).message).toBe("Sample grids need images [N, H, W, C]; got shape [4, 2].");
    expect([counted.sync, counted.async]).toEqual([0, 0]);
    x.dispose();
  });
});

describe("scatterPngAsync", () => {
  it("gives scatterPng's bytes with one awaited read and none synchronous", async () => {
    const x = randomNormal(Rng.seeded(4), [50, 2], 1);
    const reference = Float32Array.from({ length: 40 }, (_, i) => Math.sin(i));
    const sync = await countReadsAsync(() => scatterPng(x, reference, "title"));
    const async = await countReadsAsync(() => scatterPngAsync(x, reference, "title"));
    expect([sync.sync, sync.async, async.sync, async.async]).toEqual([1, 0, 0, 1]);
    expect(Array.from(async.value)).toEqual(Array.from(sync.value));
    const flat = tf.zeros([3, 3]);
    await expect(scatterPngAsync(flat, reference)).rejects.toThrow(
      "A scatter plot needs 2-D points [N, 2]; got shape [3, 3].",
    );
    tf.dispose([x, flat]);
  });
});

describe("lossCurveSvg", () => {
  it("draws an SVG document with the title", () => {
    const svg = lossCurveSvg([0, 1, 2, 3].map((step) => ({ step, loss: 1 / (step + 1) })));
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("training loss");
  });
});
