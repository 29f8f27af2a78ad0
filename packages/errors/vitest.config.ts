import { vitestPreset } from "@scm/vitest-config";

export default vitestPreset();
