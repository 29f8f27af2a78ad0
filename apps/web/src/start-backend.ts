// Starts the page's one tfjs backend (webgpu → webgl → wasm → cpu, or the one picked) and says which
// it is. The wasm binaries are static files of this site, never fetched from a CDN.
import type { BackendInfo, BackendName } from "@scm/backend";
import { initBrowserBackend, wasmFeatures } from "@scm/backend/browser";
import plainWasm from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url";
import simdWasm from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url";
import threadedWasm from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url";
import { withStartDeadline } from "./start-deadline.js";

/** The backend in use, and a line describing it. */
export interface PageBackend {
  readonly info: BackendInfo;
  readonly description: string;
}

/** Starts `requested` (or the fastest that starts); a backend that cannot start rejects with why. */
export async function startBackend(requested: BackendName | "auto"): Promise<PageBackend> {
  const info = await withStartDeadline<BackendInfo>(
    requested,
    initBrowserBackend({
      backend: requested,
      log: (line) => console.info(line),
      wasmPaths: {
        "tfjs-backend-wasm.wasm": plainWasm,
        "tfjs-backend-wasm-simd.wasm": simdWasm,
        "tfjs-backend-wasm-threaded-simd.wasm": threadedWasm,
      },
    }),
  );
  let description: string = info.name;
  if (info.name === "wasm") {
    const { simd, threaded, threads } = await wasmFeatures();
    const pool = threaded ? `threaded, ${threads === 1 ? "1 thread" : `${threads} threads`}` : "not threaded";
    description += ` (${simd ? "SIMD" : "no SIMD"}, ${pool})`;
  }
  return { info, description };
}
