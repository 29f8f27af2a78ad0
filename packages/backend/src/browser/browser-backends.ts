// The backends a browser page can run, fastest first: webgpu → webgl → wasm → cpu. Only this folder
// (the "@scm/backend/browser" entry) imports the browser backends, so Node packages never pull them.
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import type { BackendCandidate, BackendName, LoadRequest } from "../backends.js";
import { BackendUnavailableError } from "../errors.js";
import { tf } from "../tf.js";
import { adapterLine, type GpuLike, startWebgpu } from "../webgpu.js";

/** Every browser backend name, in automatic-selection order (fastest first). */
export const browserBackendNames: readonly BackendName[] = ["webgpu", "webgl", "wasm", "cpu"];

/** Where the wasm backend's three binaries are served (they are static files, never a CDN). */
export type WasmPaths =
  | string
  | {
      readonly "tfjs-backend-wasm.wasm": string;
      readonly "tfjs-backend-wasm-simd.wasm": string;
      readonly "tfjs-backend-wasm-threaded-simd.wasm": string;
    };

/** Options of `browserBackendCandidates`. */
export interface BrowserBackendOptions {
  /**
   * The wasm binaries' URLs: a folder prefix ending in "/" or one URL per file. Without it the wasm
   * backend looks beside the page's script. The threaded build is used only where the page is
   * cross-origin isolated (served with COOP/COEP headers); otherwise SIMD, else plain wasm.
   */
  readonly wasmPaths?: WasmPaths;
}

let browserAdapter: string | undefined;
async function loadWebgpu(request?: LoadRequest): Promise<string> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (gpu === undefined) {
    throw new BackendUnavailableError("webgpu", "this browser has no WebGPU (navigator.gpu is missing)");
  }
  const started = await startWebgpu(gpu, { byName: request?.byName === true, syncReads: true });
  browserAdapter = adapterLine(started.adapter);
  return started.tfjsName;
}

// The webgl backend comes with the @tensorflow/tfjs umbrella; it needs a WebGL 2 (or 1) context.
async function loadWebgl(): Promise<string> {
  const doc = (globalThis as { document?: { createElement(tag: string): unknown } }).document;
  if (doc === undefined) {
    throw new BackendUnavailableError("webgl", "WebGL needs a browser page (there is no document here)");
  }
  const canvas = doc.createElement("canvas") as { getContext(kind: string): unknown };
  if (canvas.getContext("webgl2") === null && canvas.getContext("webgl") === null) {
    throw new BackendUnavailableError("webgl", "this browser gives no WebGL context");
  }
  if (tf.findBackendFactory("webgl") === null) {
    throw new BackendUnavailableError("webgl", "the webgl backend is not registered");
  }
  return "webgl";
}

async function loadWasm(paths: WasmPaths | undefined): Promise<string> {
  if (paths !== undefined) setWasmPaths(paths as string);
  return "wasm";
}

/** The browser candidates in selection order, for `initBackend({ candidates })`. */
export function browserBackendCandidates(options: BrowserBackendOptions = {}): readonly BackendCandidate[] {
  return [
    { name: "webgpu", load: loadWebgpu, adapter: () => browserAdapter },
    { name: "webgl", load: loadWebgl },
    { name: "wasm", load: () => loadWasm(options.wasmPaths) },
    { name: "cpu", load: async () => "cpu" },
  ];
}
