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
      testTimeout: 60_000,
      hookTimeout: 60_000,
      pool: "forks",
      ...overrides,
    },
  };
}
