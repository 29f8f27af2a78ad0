// Driving the page from Node: open it with settings, wait until it drew (or said why not), and read
// the canvas back as images in [−1, 1] for the MNIST classifier.
import type { Page } from "playwright-core";

/** What the page shows once it settled. */
export interface PageOutcome {
  readonly state: "done" | "error";
  readonly text: string;
  readonly backend: string | undefined;
}

/** Opens `url` (waiting for domcontentloaded, not load) and waits until the status is done or error. */
export async function openPage(page: Page, url: string, timeoutMs = 300_000): Promise<PageOutcome> {
  await page.goto(url, { waitUntil: "domcontentloaded", timeout: timeoutMs });
  return settled(page, timeoutMs);
}

/** Waits until the page's status says done or error. */
export async function settled(page: Page, timeoutMs = 300_000): Promise<PageOutcome> {
  const status = page.locator('#status[data-state="done"], #status[data-state="error"]');
  await status.waitFor({ timeout: timeoutMs });
  return {
    state: (await status.getAttribute("data-state")) as "done" | "error",
    text: (await status.textContent()) ?? "",
    backend: (await page.locator("#backend").getAttribute("data-backend")) ?? undefined,
  };
}

/** The canvas's pixels (RGBA) with its size. */
export async function canvasPixels(page: Page): Promise<{ width: number; height: number; rgba: Uint8Array }> {
  const { width, height, data } = await page.evaluate(() => {
    const canvas = document.getElementById("grid") as HTMLCanvasElement;
    const context = canvas.getContext("2d")!;
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    return { width: canvas.width, height: canvas.height, data: Array.from(image.data) };
  });
  return { width, height, rgba: Uint8Array.from(data) };
}

/**
 * The grid's `n` tiles of `size`² gray pixels as [n·size·size] values in [−1, 1], cut at imageGrid's
 * layout (2 px padding around and between tiles, `columns` per row).
 */
export function gridTiles(
  grid: { width: number; rgba: Uint8Array },
  n: number,
  columns: number,
  size = 28,
  padding = 2,
): Float32Array {
  const out = new Float32Array(n * size * size);
  for (let k = 0; k < n; k++) {
    const top = padding + Math.floor(k / columns) * (size + padding);
    const left = padding + (k % columns) * (size + padding);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const v = grid.rgba[4 * ((top + y) * grid.width + left + x)]!;
        out[k * size * size + y * size + x] = v / 127.5 - 1;
      }
    }
  }
  return out;
}

/** A request to the page's `scmPage.sample` (the page's own DigitRequest). */
export interface PageSampleRequest {
  readonly digit: number | "random";
  readonly steps: number;
  readonly seed: number;
  readonly n: number;
  readonly guidance?: number;
}

/** What `scmPage.sample` reports: ms per image of that call, the grid's columns, live tensors after. */
export interface PageSample {
  readonly msPerImage: number;
  readonly columns: number;
  readonly tensors: number;
}

/** Samples and draws `request` in the page (which must have settled on a model). */
export function sampleInPage(page: Page, request: PageSampleRequest): Promise<PageSample> {
  return page.evaluate(
    (r) =>
      (
        globalThis as unknown as { scmPage: { sample(r: PageSampleRequest): Promise<PageSample> } }
      ).scmPage.sample(r),
    request,
  );
}
