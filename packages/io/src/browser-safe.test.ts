// The codec entry must run in a browser: no module outside src/node may import a Node built-in.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { nodeImports } from "@scm/vitest-config/browser-safe";
import { describe, expect, it } from "vitest";

describe("@scm/io entry", () => {
  it("imports no Node built-in outside src/node", () => {
    const { sources, offenders } = nodeImports(new URL("./", import.meta.url));
    expect(sources).toContain("index.ts");
    expect(offenders).toEqual([]);
  });
});

describe("nodeImports", () => {
  it("names every file importing node:*, a bare built-in or a forbidden prefix, and no other", () => {
    const dir = mkdtempSync(join(tmpdir(), "scm-browser-safe-"));
    const files: Record<string, string> = {
      "a.ts": 'import { readFileSync } from "node:fs";',
      "b.ts": 'import { join } from "path";',
      "c.ts": 'import { x } from "./node/index.js";',
      "d.ts": 'import { y } from "./nodes.js";\nimport { z } from "ndarray";', // allowed
      "e.test.ts": 'import { readFileSync } from "node:fs";', // tests are not the entry
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const found = nodeImports(pathToFileURL(`${dir}/`), ["./node"]);
    rmSync(dir, { recursive: true, force: true });
    expect(found.sources.sort()).toEqual(["a.ts", "b.ts", "c.ts", "d.ts"]);
    expect(found.offenders.sort()).toEqual(["a.ts", "b.ts", "c.ts"]);
  });
});
