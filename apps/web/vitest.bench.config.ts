import { vitestPreset } from "@scm/vitest-config";

// `pnpm --filter @scm/web bench`: the page's speed per backend in Chromium, and its sizes.
export default vitestPreset({ include: ["src/**/*.bench.ts"], testTimeout: 3_600_000, hookTimeout: 600_000 });
