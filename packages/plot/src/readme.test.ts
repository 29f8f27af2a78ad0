// Runs the README's example as written: its imports are mapped onto the sources.
import * as io from "@scm/io";
import { runReadmeExample } from "@scm/vitest-config/readme";
import { describe, expect, it } from "vitest";
import * as plot from "./index.js";

describe("README example", () => {
  it("runs and prints what its comments say: an SVG, PNG bytes and a scatter with points", async () => {
    const logged = await runReadmeExample(new URL("../README.md", import.meta.url), {
      "@scm/io": io,
      "@scm/plot": plot,
    });
    expect(logged).toEqual([[true], [true], [true]]);
  });
});
