// Sample grids: N images [H, W, C] tiled row-major into one image, torchvision make_grid's layout
// (padding around and between tiles).
import { formatShape } from "@scm/errors";
import { contiguousData, type HostData, type NdArray, wrap } from "./dtype.js";
import { FormatError } from "./errors.js";

/** Options for `imageGrid`. */
export interface ImageGridOptions {
  /** Tiles per row (default ceil(sqrt(N))). */
  columns?: number;
  /** Pixels of background around and between tiles (default 2). */
  padding?: number;
  /** Background value for every channel (default 0). */
  background?: number;
}

/** Tiles images ([H, W, C] each, or one [N, H, W, C] array) into a single [rows·(H+p)+p, cols·(W+p)+p, C] image. */
export function imageGrid<D extends HostData>(
  images: NdArray<D>[] | NdArray<D>,
  options: ImageGridOptions = {},
): NdArray<D> {
  const tiles = Array.isArray(images) ? images : splitBatch(images);
  const first = tiles[0];
  if (first === undefined)
    throw new FormatError("image", "imageGrid got no images; expected at least one.", { field: "images" });
  if (first.shape.length !== 3)
    throw new FormatError(
      "image",
      `Grid image 0 has shape ${formatShape(first.shape)}; expected [H, W, C].`,
      { field: "images[0]" },
    );
  const [h, w, c] = first.shape as [number, number, number];
  const n = tiles.length;
  const columns = options.columns ?? Math.ceil(Math.sqrt(n));
  const padding = options.padding ?? 2;
  if (!Number.isInteger(columns) || columns < 1)
    throw new FormatError("image", `imageGrid columns is ${columns}; expected a positive integer.`, {
      field: "columns",
    });
  if (!Number.isInteger(padding) || padding < 0)
    throw new FormatError("image", `imageGrid padding is ${padding}; expected a non-negative integer.`, {
      field: "padding",
    });
  const cols = Math.min(columns, n);
  const rows = Math.ceil(n / cols);
  const outH = rows * (h + padding) + padding;
  const outW = cols * (w + padding) + padding;
  const Ctor = first.data.constructor as new (n: number) => D;
  const out = new Ctor(outH * outW * c);
  const bg = options.background ?? 0;
  if (bg !== 0) (out as unknown as { fill(v: number): void }).fill(bg);
  tiles.forEach((tile, k) => {
    if (tile.shape.length !== 3 || tile.shape[0] !== h || tile.shape[1] !== w || tile.shape[2] !== c) {
      throw new FormatError(
        "image",
        `Grid image ${k} has shape ${formatShape(tile.shape)}; expected [${h}, ${w}, ${c}] like image 0.`,
        { field: `images[${k}]` },
      );
    }
    const src = contiguousData(tile, "image");
    const y0 = padding + Math.floor(k / cols) * (h + padding);
    const x0 = padding + (k % cols) * (w + padding);
    for (let y = 0; y < h; y++) {
      const row = src.subarray(y * w * c, (y + 1) * w * c);
      (out as unknown as { set(a: ArrayLike<unknown>, o: number): void }).set(
        row,
        ((y0 + y) * outW + x0) * c,
      );
    }
  });
  return wrap(out, [outH, outW, c]);
}

function splitBatch<D extends HostData>(batch: NdArray<D>): NdArray<D>[] {
  if (batch.shape.length !== 4)
    throw new FormatError(
      "image",
      `Grid batch has shape ${formatShape(batch.shape)}; expected [N, H, W, C].`,
      { field: "images" },
    );
  const out: NdArray<D>[] = [];
  for (let i = 0; i < (batch.shape[0] as number); i++) out.push(batch.pick(i, null, null, null));
  return out;
}
