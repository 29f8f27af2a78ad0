// Rasterises a chart layout into a [H, W, 3] uint8 image (for @scm/io's encodePng): 1-px grid and
// frame, Bresenham curves with a square brush, filled discs for points (opacity blended over what
// is below), and tick labels and legend names in the 5x7 bitmap font.
import ndarray from "ndarray";
import { hexToRgb } from "./colors.js";
import { glyph, glyphHeight, glyphWidth } from "./font.js";
import type { Layout } from "./layout.js";

type Rgb = [number, number, number];

/** A [H, W, 3] uint8 RGB canvas with a few drawing primitives. */
export class Canvas {
  /** Pixels, row-major RGB. */
  readonly data: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    this.data = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) this.data.set(background, 3 * i);
  }

  /** Blends `color` with opacity `alpha` into pixel (x, y) (rounded); pixels outside are ignored. */
  plot(x: number, y: number, color: Rgb, alpha = 1): void {
    const px = Math.round(x);
    const py = Math.round(y);
    if (px < 0 || py < 0 || px >= this.width || py >= this.height) return;
    const o = 3 * (py * this.width + px);
    for (let k = 0; k < 3; k++) {
      const d = this.data[o + k] as number;
      this.data[o + k] = Math.round(d + ((color[k] as number) - d) * alpha);
    }
  }

  /** Blends `color` with opacity `alpha` into the pixels of [x0, x1) × [y0, y1). */
  fillRect(x0: number, y0: number, x1: number, y1: number, color: Rgb, alpha = 1): void {
    for (let y = Math.round(y0); y < Math.round(y1); y++)
      for (let x = Math.round(x0); x < Math.round(x1); x++) this.plot(x, y, color, alpha);
  }

  /** The [r, g, b] at pixel (x, y). */
  get(x: number, y: number): Rgb {
    const o = 3 * (y * this.width + x);
    return [this.data[o] as number, this.data[o + 1] as number, this.data[o + 2] as number];
  }

  /** A line from (x0, y0) to (x1, y1) (Bresenham on rounded ends) with a square brush of side `thickness`. */
  line(x0: number, y0: number, x1: number, y1: number, color: Rgb, thickness = 1, alpha = 1): void {
    let ax = Math.round(x0);
    let ay = Math.round(y0);
    const bx = Math.round(x1);
    const by = Math.round(y1);
    const dx = Math.abs(bx - ax);
    const dy = -Math.abs(by - ay);
    const sx = ax < bx ? 1 : -1;
    const sy = ay < by ? 1 : -1;
    let err = dx + dy;
    const lo = -Math.floor((thickness - 1) / 2);
    const hi = lo + Math.max(1, Math.round(thickness)) - 1;
    for (;;) {
      for (let i = lo; i <= hi; i++) for (let j = lo; j <= hi; j++) this.plot(ax + i, ay + j, color, alpha);
      if (ax === bx && ay === by) break;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        ax += sx;
      }
      if (e2 <= dx) {
        err += dx;
        ay += sy;
      }
    }
  }

  /** A filled disc of radius r centred at (cx, cy): the pixels whose centres lie within r + 0.5. */
  disc(cx: number, cy: number, r: number, color: Rgb, alpha = 1): void {
    const rr = (r + 0.5) ** 2;
    const x0 = Math.round(cx);
    const y0 = Math.round(cy);
    const k = Math.ceil(r);
    for (let j = -k; j <= k; j++) {
      for (let i = -k; i <= k; i++)
        if ((x0 + i - cx) ** 2 + (y0 + j - cy) ** 2 <= rr) this.plot(x0 + i, y0 + j, color, alpha);
    }
  }

  /** Text in the 5x7 font with its baseline (the glyph's bottom row) at y, anchored at x. */
  text(x: number, y: number, s: string, color: Rgb, anchor: "start" | "middle" | "end" = "start"): void {
    const w = s.length * (glyphWidth + 1) - 1;
    let left = Math.round(anchor === "start" ? x : anchor === "middle" ? x - w / 2 : x - w);
    const top = Math.round(y) - glyphHeight + 1;
    for (const ch of s) {
      const g = glyph(ch);
      for (let r = 0; r < glyphHeight; r++) {
        for (let c = 0; c < glyphWidth; c++)
          if (g[r * glyphWidth + c] === 1) this.plot(left + c, top + r, color);
      }
      left += glyphWidth + 1;
    }
  }

  /** The canvas as a [H, W, 3] uint8 ndarray (sharing its data). */
  toImage(): ndarray.NdArray<Uint8Array> {
    return ndarray(this.data, [this.height, this.width, 3]);
  }
}

const INK: Rgb = [51, 51, 51];
const GRID: Rgb = [230, 230, 230];

/** Draws a layout into a new canvas: the raster twin of `layoutToSvg`. */
export function layoutToCanvas(l: Layout): Canvas {
  const c = new Canvas(l.width, l.height);
  const { left, top, right, bottom } = l.area;
  for (const t of l.x.ticks) c.line(l.x(t), top, l.x(t), bottom, GRID);
  for (const t of l.y.ticks) c.line(left, l.y(t), right, l.y(t), GRID);
  for (const line of l.lines) {
    const rgb = hexToRgb(line.color);
    for (const run of line.runs) {
      if (run.length === 1) c.plot(run[0]![0], run[0]![1], rgb, line.opacity);
      for (let i = 1; i < run.length; i++) {
        const [x0, y0] = run[i - 1]!;
        const [x1, y1] = run[i]!;
        c.line(x0, y0, x1, y1, rgb, Math.round(line.width), line.opacity);
      }
    }
  }
  for (const p of l.points) {
    const rgb = hexToRgb(p.color);
    for (const [x, y] of p.xy) c.disc(x, y, p.radius, rgb, p.opacity);
  }
  c.line(left, top, right, top, INK);
  c.line(left, bottom, right, bottom, INK);
  c.line(left, top, left, bottom, INK);
  c.line(right, top, right, bottom, INK);
  for (const t of l.labels) c.text(t.x, t.y, t.text, INK, t.anchor);
  c.fillRect(right - 104, top + 2, right - 4, top + 6 + 14 * l.legend.length, [255, 255, 255], 0.85);
  l.legend.forEach((e, i) => {
    const y = top + 12 + 14 * i;
    c.line(right - 100, y - 4, right - 84, y - 4, hexToRgb(e.color), 3);
    c.text(right - 80, y, e.name, INK);
  });
  return c;
}
