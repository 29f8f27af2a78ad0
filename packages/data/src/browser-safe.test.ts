// The main entry must run in a browser: no module outside src/node may import a Node built-in or src/node.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("@scm/data entry", () => {
  it("imports no Node built-in and nothing from src/node outside src/node", () => {
    const dir = new URL("./", import.meta.url);
    const sources = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    expect(sources).toContain("index.ts");
    expect(sources.length).toBeGreaterThan(8);
    const offenders = sources.filter((f) =>
      /from\s+"(node:|fs|path|os|crypto|\.\/node)[/"]/.test(readFileSync(new URL(f, dir), "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
