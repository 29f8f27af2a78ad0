// The browser candidates seen from Node: their order, and that each browser-only one says why it
// cannot start here instead of failing deep in tfjs. (apps/web's Chromium test runs them for real.)
import { readdirSync, readFileSync } from "node:fs";
import { nodeImports } from "@scm/vitest-config/browser-safe";
import { describe, expect, it } from "vitest";
import { backendCandidates, backendNames } from "../backends.js";
import { BackendUnavailableError } from "../errors.js";
import { initBackend } from "../init-backend.js";
import { browserBackendCandidates, browserBackendNames } from "./browser-backends.js";

describe("browserBackendCandidates", () => {
  it("tries webgpu, then webgl, then wasm, then cpu", () => {
    expect(browserBackendNames).toEqual(["webgpu", "webgl", "wasm", "cpu"]);
    expect(browserBackendCandidates().map((c) => c.name)).toEqual(browserBackendNames);
  });

  it("leaves the Node candidates as they were", () => {
    expect(backendNames).toEqual(["node-gpu", "webgpu", "node", "native", "wasm", "cpu"]);
    expect(backendCandidates.map((c) => c.name)).toEqual(backendNames);
  });

  it("names what is missing for webgpu and webgl outside a browser", async () => {
    const [webgpu, webgl] = browserBackendCandidates();
    const gpuErr = await webgpu!.load().catch((e: unknown) => e);
    expect(gpuErr).toBeInstanceOf(BackendUnavailableError);
    expect((gpuErr as Error).message).toBe(
      'Backend "webgpu" is unavailable: this browser has no WebGPU (navigator.gpu is missing).',
    );
    const glErr = await webgl!.load().catch((e: unknown) => e);
    expect(glErr).toBeInstanceOf(BackendUnavailableError);
    expect((glErr as Error).message).toBe(
      'Backend "webgl" is unavailable: WebGL needs a browser page (there is no document here).',
    );
  });

  it("loads wasm and cpu anywhere", async () => {
    const [, , wasm, cpu] = browserBackendCandidates();
    expect(await wasm!.load()).toBe("wasm");
    expect(await cpu!.load()).toBe("cpu");
  });

  it("makes initBackend validate a request against the candidates it is given", () => {
    expect(() => initBackend({ backend: "native", candidates: browserBackendCandidates() })).toThrow(
      'The backend option is "native"; expected one of auto, webgpu, webgl, wasm, cpu.',
    );
    expect(() => initBackend({ backend: "webgl" })).toThrow(
      'The backend option is "webgl"; expected one of auto, node-gpu, webgpu, node, native, wasm, cpu.',
    );
  });
});

describe("@scm/backend/browser entry", () => {
  it("imports no Node built-in", () => {
    const { sources, offenders } = nodeImports(new URL("./", import.meta.url));
    expect(sources).toEqual([
      "browser-backends.ts",
      "index.ts",
      "init-browser-backend.ts",
      "wasm-features.ts",
    ]);
    expect(offenders).toEqual([]);
  });

  it("leaves the webgpu backend to one lazy import, shared by Node and the browser", () => {
    const dir = new URL("../", import.meta.url);
    const importing = readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
      .filter((f) => readFileSync(new URL(f, dir), "utf8").includes('"@tensorflow/tfjs-backend-webgpu"'));
    expect(importing).toEqual(["webgpu.ts"]);
    // Only an awaited import() inside startWebgpu: loading @scm/backend never loads the webgpu backend.
    const source = readFileSync(new URL("webgpu.ts", dir), "utf8");
    expect(source).not.toMatch(/^import[^\n]*"@tensorflow\/tfjs-backend-webgpu"/m);
    expect(source).toContain('await import("@tensorflow/tfjs-backend-webgpu")');
  });
});
