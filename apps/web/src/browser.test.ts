// The page in a real browser: Debian's Chromium, headless, on the built site served on 127.0.0.1.
// For wasm, webgl and webgpu (software WebGPU on SwiftShader, where Chromium's flags bring it up;
// SCM_WEB_WEBGPU=0 leaves it out, it is the slowest), 16 samples of one digit
// from the shipped mnist-scd in one step are read back from the canvas and classified in Node by
// @scm/fid's MNIST classifier; a reload with the same seed draws the same picture; errors a user can
// hit are one sentence on the page. No assertion depends on the machine's speed.
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { tf } from "@scm/backend";
import { disposeMnistParams, type MnistParams, mnistPredict } from "@scm/fid";
import { loadMnistWeights } from "@scm/fid/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Chromium, chromiumMissing, launchChromium } from "./node/chromium.js";
import { canvasPixels, gridTiles, openPage, sampleInPage, settled } from "./node/page-driver.js";
import { type PreviewServer, servePreview } from "./node/preview-server.js";

const missing = chromiumMissing();
const outputDir = fileURLToPath(new URL("../test-output/", import.meta.url));
const backends = ["wasm", "webgl", ...(process.env["SCM_WEB_WEBGPU"] === "0" ? [] : ["webgpu"])];
/** The digit each backend draws (different ones, so a stale picture cannot pass). */
const digitOf: Record<string, number> = { wasm: 3, webgl: 7, webgpu: 5 };

if (missing !== undefined && process.env["CI"] === "true") {
  describe("the page in Chromium", () => {
    it("has a browser to run in under CI", () => {
      throw new Error(`${missing}; .ci/run installs it, so CI must not skip the browser test.`);
    });
  });
} else {
  if (missing !== undefined) console.warn(`The browser test is skipped: ${missing}.`);
  describe("the page in Chromium", () => {
    let server: PreviewServer | undefined;
    let chrome: Chromium | undefined;
    let classifier: MnistParams | undefined;

    beforeAll(async () => {
      if (missing !== undefined) return;
      await mkdir(outputDir, { recursive: true });
      server = await servePreview();
      chrome = await launchChromium({ webgpu: backends.includes("webgpu") });
      classifier = await loadMnistWeights();
    });
    afterAll(async () => {
      await chrome?.close();
      await server?.close();
      if (classifier !== undefined) disposeMnistParams(classifier);
    });

    it.for(backends)(
      "%s: 16 samples of one digit in one step are that digit (≥ 14/16), the same after a reload",
      async (backend, ctx) => {
        if (missing !== undefined) ctx.skip(`skipped: ${missing}`);
        const digit = digitOf[backend]!;
        const page = await chrome!.context.newPage();
        try {
          const url = `${server!.url}?digit=${digit}&seed=11&backend=${backend}`;
          const outcome = await openPage(page, url);
          // WebGPU is tested where it initialises: a Chromium without an adapter says so on the page.
          if (backend === "webgpu" && outcome.state === "error" && /unavailable/.test(outcome.text))
            ctx.skip(`skipped: ${outcome.text}`);
          expect(outcome, outcome.text).toMatchObject({ state: "done", backend });
          const first = await canvasPixels(page);
          await page.screenshot({ path: `${outputDir}${backend}.png` });

          const columns = Number(await page.locator("#grid").getAttribute("data-columns"));
          const tiles = tf.tensor4d(gridTiles(first, 16, columns), [16, 28, 28, 1]);
          const predicted = Array.from(mnistPredict(classifier!, tiles));
          tiles.dispose();
          const correct = predicted.filter((c) => c === digit).length;
          expect(correct, `classified as ${predicted.join(" ")}`).toBeGreaterThanOrEqual(14);

          // Sampling again leaves no tensor behind in the page (checked on wasm only: the page code is the
          // same on every backend, and software WebGL takes seconds per batch).
          if (backend === "wasm") {
            const tensors = Number(await page.locator("#status").getAttribute("data-tensors"));
            const again = await sampleInPage(page, { digit, steps: 1, seed: 11, n: 16 });
            expect(again.tensors).toBe(tensors);
          }

          await page.reload({ waitUntil: "domcontentloaded" });
          expect(await settled(page)).toMatchObject({ state: "done", backend });
          const second = await canvasPixels(page);
          expect(second.width).toBe(first.width);
          expect(Buffer.from(second.rgba).equals(Buffer.from(first.rgba))).toBe(true);
        } finally {
          await page.close();
        }
      },
    );

    it("says in one sentence when the requested backend cannot start or a dropped file is not a model", async (ctx) => {
      if (missing !== undefined) ctx.skip(`skipped: ${missing}`);
      // Without the WebGPU flags Chromium has no adapter here: the backend a user asked for cannot start.
      const plain = await launchChromium();
      try {
        const page = await plain.context.newPage();
        const noGpu = await openPage(page, `${server!.url}?backend=webgpu`);
        expect(noGpu.state).toBe("error");
        expect(noGpu.text).toMatch(/^Backend "webgpu" is unavailable: [^\n]+\.$/);
      } finally {
        await plain.close();
      }
      const page = await chrome!.context.newPage();
      try {
        expect((await openPage(page, `${server!.url}?backend=wasm`)).state).toBe("done");
        await page.locator("#file").setInputFiles({
          name: "notes.safetensors",
          mimeType: "application/octet-stream",
          buffer: Buffer.from("these are not weights"),
        });
        await page.locator('#status[data-state="error"]').waitFor({ timeout: 120_000 });
        expect(await page.locator("#status").textContent()).toMatch(
          /^notes\.safetensors is not a safetensors model file/,
        );
      } finally {
        await page.close();
      }
    });
  });
}
