import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";

// Runs the README's example with its package imports pointed at the sources, and checks what it prints.
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const code = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
const require = createRequire(import.meta.url);
const targets: Record<string, string> = {
  "@scm/fid": fileURLToPath(new URL("./index.ts", import.meta.url)),
  "@scm/fid/node": fileURLToPath(new URL("./node.ts", import.meta.url)),
  "@scm/backend": fileURLToPath(new URL("../../backend/src/index.ts", import.meta.url)),
  "@scm/data/node": fileURLToPath(new URL("../../data/src/node/index.ts", import.meta.url)),
  ndarray: require.resolve("ndarray"),
};
const dir = mkdtempSync(join(tmpdir(), "scm-fid-readme-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("README example", () => {
  it("runs and prints what its comments say", async () => {
    const rewritten = code.replace(/from "([^"]+)";/g, (m, spec: string) =>
      targets[spec] === undefined ? m : `from ${JSON.stringify(targets[spec])};`,
    );
    const file = join(dir, "example.ts");
    writeFileSync(file, rewritten);
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    });
    try {
      await import(/* @vite-ignore */ file);
    } finally {
      log.mockRestore();
    }
    // the values the README's comments state
    expect(lines).toEqual(["0.160000", "[16,16]", "true", "true"]);
  });
});
