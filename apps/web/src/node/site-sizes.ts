// What the built site weighs: its scripts (raw and gzip), the wasm binaries and the model weights.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";

/** Bytes of the built site by kind. */
export interface SiteSizes {
  readonly scripts: number;
  readonly scriptsGzip: number;
  readonly wasm: Readonly<Record<string, number>>;
  readonly weights: Readonly<Record<string, number>>;
  readonly total: number;
}

/** Sizes of apps/web/dist (after `vite build`). */
export function siteSizes(dist = new URL("../../dist/", import.meta.url)): SiteSizes {
  const assets = new URL("assets/", dist);
  let scripts = 0;
  let scriptsGzip = 0;
  let total = 0;
  const wasm: Record<string, number> = {};
  const weights: Record<string, number> = {};
  for (const name of readdirSync(assets)) {
    const file = new URL(name, assets);
    const size = statSync(file).size;
    total += size;
    if (name.endsWith(".js")) {
      scripts += size;
      scriptsGzip += gzipSync(readFileSync(file)).length;
    } else if (name.endsWith(".wasm")) {
      wasm[name] = size;
    } else if (name.endsWith(".safetensors")) {
      weights[name] = size;
    }
  }
  return { scripts, scriptsGzip, wasm, weights, total: total + statSync(new URL("index.html", dist)).size };
}
