// Runs the README's example as written in Node: its imports are mapped onto the packages' sources,
// and fetchModel reads the shipped file from disk (Node's fetch takes no file: URL). The backend is
// the test's (initBrowserBackend returns the one already active).
import { readFile } from "node:fs/promises";
import * as backend from "@scm/backend";
import * as browser from "@scm/backend/browser";
import * as models from "@scm/models";
import * as runs from "@scm/runs";
import { runReadmeExample } from "@scm/vitest-config/readme";
import { describe, expect, it } from "vitest";

const fileFetch = (async (url: string | URL) =>
  new Response(new Uint8Array(await readFile(new URL(String(url)))))) as typeof fetch;

describe("README example", () => {
  it("draws 8 one-step samples of the digit 3, leaving no tensor behind", async () => {
    const before = backend.tf.memory().numTensors;
    const logged = await runReadmeExample(new URL("../README.md", import.meta.url), {
      "@scm/backend/browser": browser,
      "@scm/models": {
        ...models,
        fetchModel: (name: string) => models.fetchModel(name, { fetch: fileFetch }),
      },
      "@scm/runs": runs,
    });
    expect(logged).toEqual([[[8, 28, 28, 1], 8 * 28 * 28]]);
    expect(backend.tf.memory().numTensors).toBe(before);
  });
});
