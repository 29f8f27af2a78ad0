// Puts a grid image (gray or RGB bytes, [H, W, C]) on the canvas pixel for pixel; CSS scales it up.
import type { NdArray } from "@scm/io";

/** Draws `pixels` at 1:1 on `canvas`, shown `scale` times larger (nearest-neighbour). */
export function drawGrid(canvas: HTMLCanvasElement, pixels: NdArray<Uint8Array>, scale: number): void {
  const [h, w, c] = pixels.shape as [number, number, number];
  canvas.width = w;
  canvas.height = h;
  canvas.style.width = `${w * scale}px`;
  const context = canvas.getContext("2d");
  if (context === null) throw new Error("The browser gave no 2-D canvas context.");
  const image = context.createImageData(w, h);
  const src = pixels.data;
  for (let i = 0; i < w * h; i++) {
    const r = src[i * c]!;
    image.data[4 * i] = r;
    image.data[4 * i + 1] = c === 3 ? src[i * c + 1]! : r;
    image.data[4 * i + 2] = c === 3 ? src[i * c + 2]! : r;
    image.data[4 * i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}
