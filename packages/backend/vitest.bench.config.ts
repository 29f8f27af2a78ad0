import { vitestPreset } from "@scm/vitest-config";

// `pnpm bench`: the *.bench.ts files, one at a time, with room for the slow cpu/wasm baselines.
export default vitestPreset({ include: ["src/**/*.bench.ts"], testTimeout: 900_000, fileParallelism: false });
