import { vitestPreset } from "@scm/vitest-config";

// `pnpm bench`: the benchmarks in src/*.bench.ts run once each as plain files (no assertions).
export default vitestPreset({ include: ["src/**/*.bench.ts"], testTimeout: 600_000 });
