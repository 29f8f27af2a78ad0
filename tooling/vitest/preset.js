// Shared vitest preset. Packages resolve each other's `src/` through the "@scm/source" export
// condition, so tests always see the code beside them.
import { fileURLToPath } from "node:url";

// Selects the backend once per test file (SCM_BACKEND, default "cpu"), quietly.
const backendSetup = fileURLToPath(new URL("../../packages/backend/src/testing/setup.ts", import.meta.url));

/** Returns the vitest config every package uses. */
export function vitestPreset(overrides = {}) {
  return {
    resolve: { conditions: ["@scm/source"] },
    ssr: { resolve: { conditions: ["@scm/source"] } },
    test: {
      include: ["src/**/*.test.ts"],
      setupFiles: [backendSetup],
      // Limits only guard against a hang: no test depends on speed, and on a busy 2-core machine the
      // slowest (software WebGPU, training runs) take several times as long as alone.
      testTimeout: 300_000,
      hookTimeout: 300_000,
      pool: "forks",
      ...overrides,
    },
  };
}
