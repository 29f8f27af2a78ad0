// The codec entry must run in a browser: no module outside src/node may import a Node built-in.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("@scm/io entry", () => {
  it("imports no Node built-in outside src/node", () => {
    const dir = new URL("./", import.meta.url);
    const sources = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    expect(sources).toContain("index.ts");
    const offenders = sources.filter((f) =>
      /from\s+"(node:|fs|path|os|crypto)[/"]/.test(readFileSync(new URL(f, dir), "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
