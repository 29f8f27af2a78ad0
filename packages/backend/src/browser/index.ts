// @scm/backend/browser: the browser side of backend selection (webgpu → webgl → wasm → cpu). Import it
// only from a browser bundle; Node code uses the main entry, whose candidates never load these.
export {
  type BrowserBackendOptions,
  browserBackendCandidates,
  browserBackendNames,
  type WasmPaths,
} from "./browser-backends.js";
export { initBrowserBackend } from "./init-browser-backend.js";
export { type WasmFeatures, wasmFeatures } from "./wasm-features.js";
