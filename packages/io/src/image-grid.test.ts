import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { imageGrid } from "./image-grid.js";

const solid = (v: number, h = 2, w = 3, c = 1) => ndarray(new Uint8Array(h * w * c).fill(v), [h, w, c]);

describe("imageGrid", () => {
  it("tiles images row-major with padding around and between", () => {
    // 3 tiles of 2x3 in 2 columns, padding 1: H = 2·(2+1)+1 = 7, W = 2·(3+1)+1 = 9
    const g = imageGrid([solid(10), solid(20), solid(30)], { columns: 2, padding: 1 });
    expect(g.shape).toEqual([7, 9, 1]);
    const rows: string[] = [];
    for (let y = 0; y < 7; y++) rows.push(Array.from({ length: 9 }, (_, x) => g.get(y, x, 0)).join(" "));
    expect(rows).toEqual([
      "0 0 0 0 0 0 0 0 0",
      "0 10 10 10 0 20 20 20 0",
      "0 10 10 10 0 20 20 20 0",
      "0 0 0 0 0 0 0 0 0",
      "0 30 30 30 0 0 0 0 0",
      "0 30 30 30 0 0 0 0 0",
      "0 0 0 0 0 0 0 0 0",
    ]);
  });

  it("accepts an [N, H, W, C] batch and defaults to ceil(sqrt(N)) columns and padding 2", () => {
    const batch = ndarray(
      new Uint8Array(5 * 2 * 2 * 3).map((_, i) => i),
      [5, 2, 2, 3],
    );
    const g = imageGrid(batch, { background: 255 });
    // 3 columns, 2 rows: H = 2·4+2 = 10, W = 3·4+2 = 14
    expect(g.shape).toEqual([10, 14, 3]);
    expect(g.get(0, 0, 0)).toBe(255);
    // tile 4 (row 1, column 1) starts at (2 + 4, 2 + 4); its first value is 4·12 = 48
    expect([g.get(6, 6, 0), g.get(7, 7, 2)]).toEqual([48, 48 + 11]);
  });

  it("keeps the dtype and rejects mismatched tiles", () => {
    const f = ndarray(new Float32Array([0.5]), [1, 1, 1]);
    const g = imageGrid([f, f], { padding: 0 });
    expect(g.data).toBeInstanceOf(Float32Array);
    expect(Array.from(g.data)).toEqual([0.5, 0.5]);
    expect(() => imageGrid([solid(1), solid(1, 3)])).toThrow(
      /image 1 has shape \[3, 3, 1\]; expected \[2, 3, 1\]/,
    );
    expect(() => imageGrid([])).toThrow(/no images/);
  });
});
