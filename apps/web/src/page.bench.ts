// The bench of the page in Chromium: ms per image of 1 and 2 consistency steps at batch 16 and 64 on
// each backend that starts, and the built site's sizes. Headless Chromium here has no GPU: WebGL and
// WebGPU run on SwiftShader, i.e. software rendering on the CPU, so these numbers say nothing of a
// real GPU. SCM_WEB_BENCH_BACKENDS picks the backends (default webgl,wasm,cpu; webgpu on SwiftShader
// takes 1.5–2.5 s per image, so it runs only when named). Each setting: one warm-up call (shader
// compiles, allocations for that batch), then one timed call.
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { chromiumMissing, launchChromium } from "./node/chromium.js";
import { openPage, sampleInPage } from "./node/page-driver.js";
import { servePreview } from "./node/preview-server.js";
import { siteSizes } from "./node/site-sizes.js";

const backends = (process.env["SCM_WEB_BENCH_BACKENDS"] ?? "webgl,wasm,cpu").split(",");
const settings = [
  { steps: 1, n: 16 },
  { steps: 2, n: 16 },
  { steps: 1, n: 64 },
  { steps: 2, n: 64 },
];
const reps = 1;

interface Row {
  backend: string;
  description: string;
  steps: number;
  batch: number;
  msPerImage: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

it("ms per image per backend, and the site's sizes", async () => {
  const missing = chromiumMissing();
  if (missing !== undefined) throw new Error(`The bench needs Chromium: ${missing}.`);
  const server = await servePreview();
  const chrome = await launchChromium({ webgpu: backends.includes("webgpu") });
  const rows: Row[] = [];
  const unavailable: string[] = [];
  try {
    for (const backend of backends) {
      const page = await chrome.context.newPage();
      try {
        const opened = await openPage(
          page,
          `${server.url}?backend=${backend}&digit=random&seed=1`,
          1_800_000,
        );
        if (opened.state === "error") {
          unavailable.push(`${backend}: ${opened.text}`);
          continue;
        }
        const description = ((await page.locator("#backend").textContent()) ?? "")
          .replace(/ · .*/, "")
          .replace(/^Backend /, "");
        for (const { steps, n } of settings) {
          await sampleInPage(page, { digit: "random", steps, seed: 1, n }); // warm-up: shader compiles, allocations
          const times: number[] = [];
          for (let r = 0; r < reps; r++)
            times.push((await sampleInPage(page, { digit: "random", steps, seed: 2 + r, n })).msPerImage);
          rows.push({ backend, description, steps, batch: n, msPerImage: median(times) });
          console.log(`${description}: ${steps} step(s), batch ${n}: ${median(times).toFixed(1)} ms/image`);
        }
      } finally {
        await page.close();
      }
    }
  } finally {
    await chrome.close();
    await server.close();
  }
  const sizes = siteSizes();
  const lines = [
    "Chromium headless, no GPU: WebGL and WebGPU run on SwiftShader (software rendering on the CPU).",
    "",
    "| backend | steps | batch | ms per image |",
    "|---|---|---|---|",
    ...rows.map((r) => `| ${r.description} | ${r.steps} | ${r.batch} | ${r.msPerImage.toFixed(1)} |`),
    "",
    ...unavailable.map((u) => `- did not start: ${u}`),
    `- scripts ${kb(sizes.scripts)} (${kb(sizes.scriptsGzip)} gzip); wasm ${Object.entries(sizes.wasm)
      .map(([f, b]) => `${f.replace(/-[\w-]{8}\.wasm$/, ".wasm")} ${kb(b)}`)
      .join(", ")}; weights ${
      Object.entries(sizes.weights)
        .map(([f, b]) => `${f.replace(/-[\w-]{8}\.safetensors$/, ".safetensors")} ${kb(b)}`)
        .join(", ") || "none"
    }; whole site ${kb(sizes.total)}`,
  ];
  console.log(lines.join("\n"));
  const out = fileURLToPath(new URL("../bench-results/", import.meta.url));
  await mkdir(out, { recursive: true });
  await writeFile(`${out}bench.json`, `${JSON.stringify({ rows, unavailable, sizes }, null, 2)}\n`);
  await writeFile(`${out}bench.md`, `${lines.join("\n")}\n`);
  expect(rows.length).toBeGreaterThan(0);
});
