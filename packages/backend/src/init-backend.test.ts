import { describe, expect, it } from "vitest";
import { backendCandidates } from "./backends.js";
import { BackendUnavailableError } from "./errors.js";
import { initBackend } from "./init-backend.js";
import { tf } from "./tf.js";

const requested = process.env["SCM_BACKEND"] ?? "cpu";

describe("initBackend", () => {
  it("starts the requested backend once and reports it", async () => {
    const info = await initBackend({ quiet: true });
    expect(info.name).toBe(requested);
    expect(tf.getBackend()).toBe(info.tfjsName);
    expect(await initBackend()).toBe(info);
  });

  it("refuses to switch to another backend once one is active", async () => {
    const other = requested === "cpu" ? "wasm" : "cpu";
    await expect(initBackend({ backend: other })).rejects.toThrow(/already active/);
  });

  it("rejects an unknown backend name, listing the valid ones", () => {
    expect(() => initBackend({ backend: "tpu" as "cpu" })).toThrow(
      'The backend option is "tpu"; expected one of auto, node-gpu, node, wasm, cpu.',
    );
  });
});

describe("backendCandidates", () => {
  it("names the missing package when tfjs-node cannot load", async () => {
    const node = backendCandidates.find((c) => c.name === "node")!;
    let loaded = true;
    try {
      await import("@tensorflow/tfjs-node");
    } catch {
      loaded = false;
    }
    if (loaded) return; // a machine with libtensorflow: nothing missing to name
    const err = await node.load().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toMatch(
      /Backend "node" is unavailable: @tensorflow\/tfjs-node did not load/,
    );
  });
});
