// initBackend over the browser candidates: one backend per page, picked or requested.
import type { BackendName } from "../backends.js";
import { type BackendInfo, type InitBackendOptions, initBackend } from "../init-backend.js";
import { type BrowserBackendOptions, browserBackendCandidates } from "./browser-backends.js";

/** Starts the requested browser backend, or the fastest that starts: webgpu → webgl → wasm → cpu. */
export function initBrowserBackend(
  options: Omit<InitBackendOptions, "candidates"> &
    BrowserBackendOptions & { backend?: BackendName | "auto" } = {},
): Promise<BackendInfo> {
  const { wasmPaths, ...rest } = options;
  return initBackend({
    ...rest,
    candidates: browserBackendCandidates(wasmPaths === undefined ? {} : { wasmPaths }),
  });
}
