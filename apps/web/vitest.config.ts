import { vitestPreset } from "@scm/vitest-config";

// The browser test waits on Chromium doing software WebGL/wasm: generous limits, no timed assertions.
export default vitestPreset({ testTimeout: 600_000, hookTimeout: 300_000 });
