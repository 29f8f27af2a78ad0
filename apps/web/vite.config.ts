// The page's Vite config. Workspace packages resolve to their sources ("@scm/source"), so the page
// runs the very code the CLIs run. COOP/COEP headers make the page cross-origin isolated, which lets
// the wasm backend use its threaded build (SharedArrayBuffer); every asset is same-origin, so
// require-corp costs nothing. `vite build` writes a static site that needs no network.
import { defaultClientConditions, defineConfig } from "vite";

/** Headers that make the page cross-origin isolated (dev server and preview alike). */
export const isolationHeaders = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
} as const;

export default defineConfig({
  base: "./",
  resolve: { conditions: ["@scm/source", ...defaultClientConditions] },
  // Not minified: the threaded wasm backend starts its workers from its own source text, which
  // mangling breaks ("e is not defined" in the worker) and so does compression alone ("_scriptDir
  // is not defined"); both measured with Vite 8's Oxc minifier.
  build: { target: "es2022", chunkSizeWarningLimit: 4096, assetsInlineLimit: 0, minify: false },
  server: { host: "127.0.0.1", headers: isolationHeaders },
  preview: { host: "127.0.0.1", headers: isolationHeaders },
});
