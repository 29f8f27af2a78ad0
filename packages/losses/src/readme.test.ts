// Runs the README's example as written: its imports are mapped onto this package's sources.
import * as backend from "@scm/backend";
import * as trigflowTesting from "@scm/trigflow/testing";
import { runReadmeExample } from "@scm/vitest-config/readme";
import { describe, expect, it } from "vitest";
import * as losses from "./index.js";
import * as testing from "./testing/index.js";

const modules: Record<string, unknown> = {
  "@scm/backend": backend,
  "@scm/losses": losses,
  "@scm/losses/testing": testing,
  "@scm/trigflow/testing": trigflowTesting,
};

describe("README example", () => {
  it("trains a(t) to k_cm(1) ≈ −0.934 with warmup reaching r = 1, and exports 6 state tensors", async () => {
    const before = backend.tf.memory().numTensors;
    const logged = await runReadmeExample(new URL("../README.md", import.meta.url), modules);
    expect(logged.slice(0, 4).map((l) => [l[0], l[3]])).toEqual([
      [99, 0.99],
      [199, 1],
      [299, 1],
      [399, 1],
    ]); // r = min(1, step/100)
    const [, a, , kCm] = logged[4] as [string, number, string, number];
    expect(kCm).toBeCloseTo(-0.934, 3);
    // 400 steps of sCT at batch 256 leave sampling noise of a few 1e-2 in a(t) (training.test.ts).
    expect(Math.abs(a - kCm)).toBeLessThan(0.1);
    expect(logged[5]).toEqual([6]);
    expect(backend.tf.memory().numTensors).toBe(before);
  });
});
