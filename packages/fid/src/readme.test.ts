// Runs the README's example as written: its imports are mapped onto the sources.
import * as backend from "@scm/backend";
import * as dataNode from "@scm/data/node";
import { runReadmeExample } from "@scm/vitest-config/readme";
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import * as fid from "./index.js";
import * as fidNode from "./node.js";

describe("README example", () => {
  it("runs and prints what its comments say", async () => {
    const logged = await runReadmeExample(new URL("../README.md", import.meta.url), {
      "@scm/backend": backend,
      "@scm/data/node": dataNode,
      "@scm/fid": fid,
      "@scm/fid/node": fidNode,
      ndarray,
    });
    // FID 16 · 0.1² = 0.16 to six places, the statistics' shape, and the MNIST FID and KID orderings
    expect(logged).toEqual([["0.160000"], [[16, 16]], [true], [true]]);
  });
});
