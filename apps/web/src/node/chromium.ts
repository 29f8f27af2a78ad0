// Debian's Chromium driven by playwright-core: headless, a fresh profile, nothing fetched (never a
// browser download). WebGL runs on SwiftShader as it is; WebGPU needs two more flags (software).
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

/** Where Debian's `chromium` package puts the browser (SCM_CHROMIUM overrides). */
export const chromiumPath = process.env["SCM_CHROMIUM"] || "/usr/bin/chromium";

/** The flags every run uses: headless in a container, quiet, no network of its own. */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The extra flags that expose WebGPU on SwiftShader (software, slow). */
export const webgpuArgs = ["--enable-unsafe-webgpu", "--use-webgpu-adapter=swiftshader"];

/** Why Chromium cannot run here, or undefined when it can. */
export function chromiumMissing(): string | undefined {
  return existsSync(chromiumPath)
    ? undefined
    : `${chromiumPath} is missing (apt-get install -y chromium installs Debian's Chromium)`;
}

/** A headless Chromium with a fresh user-data-dir, removed on close. */
export interface Chromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium; `webgpu` adds the software WebGPU flags. */
export async function launchChromium(options: { webgpu?: boolean } = {}): Promise<Chromium> {
  const profile = await mkdtemp(join(tmpdir(), "scm-web-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [...chromiumArgs, ...(options.webgpu === true ? webgpuArgs : [])],
    viewport: { width: 900, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
