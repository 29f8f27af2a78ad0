// Runs the README's example as written: its imports are mapped onto this package's sources, and its
// writeFile onto a capture (so the test writes nothing).
import * as backend from "@scm/backend";
import { decodeImage } from "@scm/io";
import * as runs from "@scm/runs";
import { runReadmeExample } from "@scm/vitest-config/readme";
import { describe, expect, it } from "vitest";
import * as models from "./index.js";
import * as node from "./node/index.js";

describe("README example", () => {
  it("draws a 10 × 3 grid of one-step digits, leaving no tensor behind", async () => {
    const before = backend.tf.memory().numTensors;
    const written: Record<string, Uint8Array> = {};
    const logged = await runReadmeExample(new URL("../README.md", import.meta.url), {
      "@scm/backend": backend,
      "@scm/models": models,
      "@scm/models/node": node,
      "@scm/runs": runs,
      "node:fs/promises": { writeFile: async (path: string, bytes: Uint8Array) => (written[path] = bytes) },
    });
    expect(logged).toEqual([["scd", [30, 28, 28, 1]]]);
    const grid = decodeImage(written["digits.png"]!);
    // 10 rows and 3 columns of 28-pixel tiles (with the grid's padding between them)
    expect(grid.shape[0]).toBeGreaterThan(10 * 28);
    expect(grid.shape[1]).toBeGreaterThan(3 * 28);
    expect(grid.shape[1]).toBeLessThan(4 * 28);
    expect(backend.tf.memory().numTensors).toBe(before);
  });
});
