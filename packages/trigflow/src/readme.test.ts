// Runs the README's example as written: its imports are mapped onto this package's sources.
import * as backend from "@scm/backend";
import { runReadmeExample } from "@scm/vitest-config/readme";
import { describe, expect, it } from "vitest";
import * as trigflow from "./index.js";
import * as testing from "./testing/index.js";

const modules: Record<string, unknown> = {
  "@scm/backend": backend,
  "@scm/trigflow": trigflow,
  "@scm/trigflow/testing": testing,
};

describe("README example", () => {
  it("runs and prints Heun's NFE 35 with std ≈ 0.79 and the 2-step CM's NFE 2 with std ≈ 0.8", async () => {
    const before = backend.tf.memory().numTensors;
    const logged = await runReadmeExample(new URL("../README.md", import.meta.url), modules);
    const [heun, cm] = logged as [[string, number, number], [string, number, number]];
    expect(heun.slice(0, 2)).toEqual(["heun", 35]);
    expect(cm.slice(0, 2)).toEqual(["cm", 2]);
    // 10k samples: the std's standard error is 1/√(2·10⁴) = 0.7%; 4 of them, around 0.8·(1 − 1%) for
    // Heun (docs/math.md §7) and 0.8 for the consistency sampler.
    expect(Math.abs(heun[2] / (0.8 * 0.99) - 1)).toBeLessThan(0.028);
    expect(Math.abs(cm[2] / 0.8 - 1)).toBeLessThan(0.028);
    expect(backend.tf.memory().numTensors).toBe(before);
  });
});
