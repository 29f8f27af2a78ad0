import { vitestPreset } from "@scm/vitest-config";

// These tests sample the shipped networks at full size: one batch of 64 takes ~100 s on tfjs-cpu (the
// preset's default) and well under a second on native, so they take the fastest backend there is.
export default vitestPreset({ env: { SCM_BACKEND: process.env["SCM_BACKEND"] ?? "auto" } });
