import { vitestPreset } from "@scm/vitest-config";

// `pnpm bench`: the benchmarks in src/*.bench.ts run once each as plain files (no assertions). Training
// needs Conv2DBackpropFilter, which tfjs's wasm backend lacks, so they run on the backend the tests use.
export default vitestPreset({ include: ["src/**/*.bench.ts"], testTimeout: 1_200_000 });
