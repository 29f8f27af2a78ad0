// Runs the README's example as written: its imports are mapped onto the packages' sources.
import * as backend from "@scm/backend";
import * as jvpModule from "@scm/jvp";
import { runReadmeExample } from "@scm/vitest-config/readme";
import { describe, expect, it } from "vitest";
import * as nets from "./index.js";

const modules: Record<string, unknown> = {
  "@scm/backend": backend,
  "@scm/jvp": jvpModule,
  "@scm/nets": nets,
};

describe("README example", () => {
  it("runs, printing the tiny U-Net's count, F's shape, logvar 0 at init and a bit-exact reload", async () => {
    const before = backend.tf.memory().numTensors;
    const logged = await runReadmeExample(new URL("../README.md", import.meta.url), modules);
    // The pinned count (presets.test.ts), x's shape, w_φ = 0 exactly (zero-initialised head).
    expect(logged).toEqual([[205_668, [2, 8, 8, 3], [0, 0]], [[2, 8, 8, 3]], [true]]);
    expect(backend.tf.memory().numTensors).toBe(before);
  });
});
