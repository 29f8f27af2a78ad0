import { vitestPreset } from "@scm/vitest-config";

export default vitestPreset({ testTimeout: 180_000 });
