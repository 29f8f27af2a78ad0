// Runs the README's example as written: its imports are mapped onto this package's sources.
import { tf } from "@scm/backend";
import { runReadmeExample } from "@scm/vitest-config/readme";
import { describe, expect, it } from "vitest";
import * as data from "./index.js";
import * as node from "./node/index.js";

describe("README example", () => {
  it("runs and prints what its comments say, leaving no tensor behind", async () => {
    const before = tf.memory().numTensors;
    const logged = await runReadmeExample(new URL("../README.md", import.meta.url), {
      "@scm/data": data,
      "@scm/data/node": node,
    });
    const [[std], mnist, resumed, spiral] = logged as [[number[]], unknown[], unknown[], unknown[]];
    // toBeCloseTo(0.5, 1) allows 0.05; the std's standard error is ≈ 0.5 · sqrt(0.8 / 40,000) ≈ 0.0022 (uniform marginals, kurtosis 1.8)
    expect(std).toHaveLength(2);
    for (const s of std) expect(s).toBeCloseTo(0.5, 1);
    expect(mnist).toEqual([9000, [28, 28, 1], 10]);
    expect(resumed).toEqual([true]);
    expect(spiral).toEqual([[2]]);
    expect(logged).toHaveLength(4);
    expect(tf.memory().numTensors).toBe(before);
  });
});
