// Runs the README's example as written: its imports are mapped onto the packages' sources.
import { readFileSync } from "node:fs";
import * as backend from "@scm/backend";
import * as jvpModule from "@scm/jvp";
import { describe, expect, it } from "vitest";
import * as nets from "./index.js";

const modules: Record<string, unknown> = {
  "@scm/backend": backend,
  "@scm/jvp": jvpModule,
  "@scm/nets": nets,
};

function readmeExample(): string {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (code === undefined) throw new Error("README.md has no ```ts block.");
  // `import { a, b } from "m";` → `const { a, b } = modules["m"];` (the block is plain JavaScript otherwise)
  return code.replace(
    /^import \{([^}]*)\} from "([^"]+)";$/gm,
    (_, names: string, from: string) => `const {${names}} = modules[${JSON.stringify(from)}];`,
  );
}

describe("README example", () => {
  it("runs, printing the tiny U-Net's count, F's shape, logvar 0 at init and a bit-exact reload", async () => {
    const before = backend.tf.memory().numTensors;
    const logged: unknown[][] = [];
    const log = (...args: unknown[]) => logged.push(args);
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
      ...args: string[]
    ) => (...values: unknown[]) => Promise<void>;
    await new AsyncFunction("modules", "console", readmeExample())(modules, { log });
    // The pinned count (presets.test.ts), x's shape, w_φ = 0 exactly (zero-initialised head).
    expect(logged).toEqual([[205_668, [2, 8, 8, 3], [0, 0]], [[2, 8, 8, 3]], [true]]);
    expect(backend.tf.memory().numTensors).toBe(before);
  });
});
