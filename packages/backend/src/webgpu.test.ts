// The adapter rules without a GPU: which adapters count as software, and that automatic selection
// refuses them while a request by name takes them (a stub navigator.gpu, no device is created).
import { describe, expect, it } from "vitest";
import { BackendUnavailableError } from "./errors.js";
import { adapterLine, describeAdapter, startWebgpu } from "./webgpu.js";

describe("describeAdapter", () => {
  it("marks lavapipe, SwiftShader and fallback adapters as software, a GPU as hardware", () => {
    // Dawn 0.6.2's adapter info on this machine for lavapipe (Mesa 25) and Chromium's SwiftShader.
    const lavapipe = describeAdapter({
      vendor: "mesa",
      architecture: "software",
      device: "llvmpipe-llvm-15-0-6-256-bits-",
      description: "llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1",
      isFallbackAdapter: true,
    });
    expect(lavapipe).toEqual({
      description: "llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1",
      software: true,
    });
    expect(describeAdapter({ vendor: "google", architecture: "swiftshader" }).software).toBe(true);
    expect(describeAdapter({ vendor: "x", description: "y" }, true).software).toBe(true);
    const gpu = describeAdapter({ vendor: "nvidia", architecture: "hopper", description: "" });
    expect(gpu).toEqual({ description: "nvidia hopper", software: false });
    expect(adapterLine(lavapipe)).toBe("llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1, software");
    expect(adapterLine(gpu)).toBe("nvidia hopper");
    expect(describeAdapter({}).description).toBe("unnamed adapter");
  });
});

describe("startWebgpu", () => {
  const software = {
    requestAdapter: async () => ({
      info: { vendor: "google", architecture: "swiftshader", description: "SwiftShader" },
      features: new Set<string>(),
      limits: {},
      requestDevice: async () => ({}),
    }),
  };

  it("refuses a software adapter in automatic selection, naming it and how to ask for it", async () => {
    const err = await startWebgpu(software, { byName: false, syncReads: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toBe(
      'Backend "webgpu" is unavailable: the only adapter is the software renderer "SwiftShader", used only when asked for by name (SCM_BACKEND=webgpu).',
    );
  });

  it("says no adapter answered, with the caller's reason", async () => {
    const none = { requestAdapter: async () => null };
    await expect(
      startWebgpu(none, { byName: true, syncReads: true, noAdapter: "none here" }),
    ).rejects.toThrow('Backend "webgpu" is unavailable: none here.');
    await expect(startWebgpu(none, { byName: true, syncReads: true })).rejects.toThrow(
      'Backend "webgpu" is unavailable: no WebGPU adapter answered.',
    );
  });
});
