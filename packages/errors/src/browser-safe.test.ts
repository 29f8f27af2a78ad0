// @scm/errors must run in a browser: no source module may import a Node built-in.
import { nodeImports } from "@scm/vitest-config/browser-safe";
import { describe, expect, it } from "vitest";

describe("@scm/errors entry", () => {
  it("imports no Node built-in", () => {
    const { sources, offenders } = nodeImports(new URL("./", import.meta.url));
    expect(sources).toContain("index.ts");
    expect(offenders).toEqual([]);
  });
});
