import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { backendCandidates, backendNames } from "./backends.js";
import { BackendUnavailableError } from "./errors.js";
import { initBackend, missingKernels, trainingKernels } from "./init-backend.js";
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
      'The backend option is "tpu"; expected one of auto, node-gpu, webgpu, node, native, wasm, cpu.',
    );
  });
});

describe("backendNames", () => {
  it("tries webgpu after node-gpu, the native addon after the tfjs-node packages, then wasm and cpu", () => {
    expect(backendNames).toEqual(["node-gpu", "webgpu", "node", "native", "wasm", "cpu"]);
    expect(backendCandidates.map((c) => c.name)).toEqual(backendNames);
  });
});

describe("backendCandidates", () => {
  it("starts the native backend, or names the command that builds its addon", async () => {
    const native = backendCandidates.find((c) => c.name === "native")!;
    const result = await native.load().catch((e: unknown) => e);
    if (typeof result === "string") {
      expect(result).toBe("native");
      // The start-up line names the GEMM that runs: the addon's own where the CPU has AVX-512.
      const avx512 =
        process.platform === "linux" &&
        /^flags\s*:.*\bavx512f\b/m.test(readFileSync("/proc/cpuinfo", "utf8"));
      const gemm = avx512 && process.env["SCM_NATIVE_GEMM"] !== "blas" ? "AVX-512" : "BLAS";
      expect(native.kernels?.()).toMatch(new RegExp(`^${gemm} GEMM, \\d+ threads?$`));
    } else {
      expect(result).toBeInstanceOf(BackendUnavailableError);
      expect((result as Error).message).toMatch(
        /pnpm --filter @scm\/backend-native build:native|did not load/,
      );
    }
  });

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

describe("missingKernels", () => {
  it("names the kernels a backend lacks: wasm lacks two, cpu has all", async () => {
    await backendCandidates.find((c) => c.name === "wasm")!.load();
    expect(missingKernels(trainingKernels, "wasm")).toEqual(["Conv2DBackpropFilter", "UnsortedSegmentSum"]);
    expect(missingKernels(trainingKernels, "cpu")).toEqual([]);
    expect(missingKernels(["NoSuchKernel"], "cpu")).toEqual(["NoSuchKernel"]);
  });

  it("makes initBackend refuse an active backend that lacks a required kernel", async () => {
    const active = await initBackend();
    const lacking = missingKernels(trainingKernels, active.tfjsName);
    const call = initBackend({ requiredKernels: trainingKernels });
    if (lacking.length === 0) await expect(call).resolves.toBe(active);
    else await expect(call).rejects.toThrow(`has no ${lacking.join(", ")} kernel`);
    await expect(initBackend({ requiredKernels: ["NoSuchKernel"] })).rejects.toThrow(
      `Backend "${active.name}" is unavailable: it is already active and has no NoSuchKernel kernel.`,
    );
  });
});
