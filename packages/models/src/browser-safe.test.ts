// The main entry must run in a browser (apps/web bundles it): no module outside src/node may import
// a Node built-in or src/node.
import { nodeImports } from "@scm/vitest-config/browser-safe";
import { describe, expect, it } from "vitest";

describe("@scm/models entry", () => {
  it("imports no Node built-in and nothing from src/node outside src/node", () => {
    const { sources, offenders } = nodeImports(new URL("./", import.meta.url), ["./node"]);
    expect(sources).toEqual(["index.ts", "registry.ts", "shipped.ts"]);
    expect(offenders).toEqual([]);
  });
});
