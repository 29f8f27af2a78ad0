// The backends sCM-TS knows, fastest first, and how to bring each one up.
import { BackendUnavailableError } from "./errors.js";
import { tf } from "./tf.js";
import { adapterLine, type GpuLike, startWebgpu } from "./webgpu.js";

/**
 * A backend name accepted by `initBackend` and `SCM_BACKEND`: the Node candidates below, plus the
 * browser ones of `@scm/backend/browser` (webgpu, webgl).
 */
export type BackendName = "node-gpu" | "node" | "native" | "webgpu" | "webgl" | "wasm" | "cpu";

/** Every Node backend name, in automatic-selection order (fastest first). */
export const backendNames: readonly BackendName[] = ["node-gpu", "webgpu", "node", "native", "wasm", "cpu"];

/** How a candidate is asked to start. */
export interface LoadRequest {
  /** The backend was asked for by name (not automatic selection): webgpu then accepts a software adapter. */
  readonly byName: boolean;
}

/** One way to run tfjs: `load` registers it and returns the tfjs backend name, or throws why not. */
export interface BackendCandidate {
  readonly name: BackendName;
  load(request?: LoadRequest): Promise<string>;
  /** After a `load`, the adapter the start-up line names (webgpu: "llvmpipe: Mesa 25.0.7 …, software"). */
  adapter?(): string | undefined;
  /** After a `load`, the CPU kernels the start-up line names (native: "AVX-512 GEMM, 2 threads"). */
  kernels?(): string | undefined;
}

function missing(name: BackendName, pkg: string, err: unknown): BackendUnavailableError {
  const first = (err instanceof Error ? err.message : String(err)).split("\n")[0];
  return new BackendUnavailableError(name, `${pkg} did not load (${first})`);
}

// tfjs-node and tfjs-node-gpu both register a backend called "tensorflow"; which one answered is
// told by the binding. A GPU build that finds no CUDA device runs on the CPU, which is "node".
interface NodeBinding {
  isUsingGpuDevice?: () => boolean;
}
function usesGpu(): boolean {
  const binding = (tf.backend() as unknown as { binding?: NodeBinding }).binding;
  return binding?.isUsingGpuDevice?.() === true;
}

async function loadTensorflow(name: "node" | "node-gpu", pkg: string): Promise<string> {
  try {
    await import(pkg);
  } catch (err) {
    throw missing(name, pkg, err);
  }
  if (!(await tf.setBackend("tensorflow"))) {
    throw new BackendUnavailableError(name, `${pkg} loaded but its "tensorflow" backend did not start`);
  }
  if (name === "node-gpu" && !usesGpu()) {
    throw new BackendUnavailableError(name, `${pkg} loaded but no CUDA device answered`);
  }
  return "tensorflow";
}

// The native addon (@scm/backend-native, an optional dependency built at install where a C compiler
// and OpenBLAS exist). Imported by a computed name, as the tfjs-node packages are, so browser bundles
// never pull in its Node-only loader.
async function loadNative(): Promise<string> {
  const pkg = "@scm/backend-native";
  let mod: typeof import("@scm/backend-native");
  try {
    mod = await import(pkg);
  } catch (err) {
    throw missing("native", pkg, err);
  }
  let addon: ReturnType<typeof mod.loadNativeAddon>;
  try {
    addon = mod.loadNativeAddon();
  } catch (err) {
    throw new BackendUnavailableError(
      "native",
      (err instanceof Error ? err.message : String(err)).replace(/\.$/, ""),
    );
  }
  const threads = globalThis.process?.env?.["SCM_NATIVE_THREADS"];
  if (threads !== undefined && threads !== "") {
    const n = Number(threads);
    if (!Number.isInteger(n) || n < 1 || n > 64) {
      throw new TypeError(`SCM_NATIVE_THREADS is "${threads}"; expected an integer from 1 to 64.`);
    }
    addon.setThreads(n);
  }
  const { nativeBackendName, registerNativeBackend } = await import("./native/register-native.js");
  registerNativeBackend(addon);
  const { gemm, threads: pool } = addon.info();
  // Which GEMM runs decides most of the speed (the addon's own on AVX-512, else the BLAS's).
  nativeKernels = `${gemm === "avx512" ? "AVX-512 GEMM" : "BLAS GEMM"}, ${pool} thread${pool === 1 ? "" : "s"}`;
  return nativeBackendName;
}
let nativeKernels: string | undefined;

// tfjs's webgpu backend in Node through Dawn's binding (`webgpu` on npm, an optional dependency):
// Dawn finds a Vulkan driver (VK_ICD_FILENAMES picks one; README "webgpu" for lavapipe).
interface DawnModule {
  create(options: string[]): GpuLike;
  globals: Record<string, unknown>;
}
let nodeAdapter: string | undefined;
async function loadWebgpuNode(request: LoadRequest | undefined): Promise<string> {
  const pkg = "webgpu";
  let dawn: DawnModule;
  try {
    dawn = (await import(pkg)) as DawnModule;
  } catch (err) {
    throw missing("webgpu", pkg, err);
  }
  // tfjs-backend-webgpu uses the browser's globals (GPUBufferUsage, …) and checks navigator.gpu.
  const g = globalThis as Record<string, unknown> & { navigator?: { gpu?: unknown } };
  for (const [key, value] of Object.entries(dawn.globals)) if (!(key in g)) g[key] = value;
  const gpu = (g.navigator?.gpu as GpuLike | undefined) ?? dawn.create([]);
  if (g.navigator === undefined) g.navigator = { gpu };
  else if (g.navigator.gpu === undefined)
    Object.defineProperty(g.navigator, "gpu", { value: gpu, configurable: true });
  const started = await startWebgpu(gpu, {
    byName: request?.byName === true,
    syncReads: false,
    noAdapter:
      "no WebGPU adapter answered (Dawn found no Vulkan driver it accepts; for a software one set VK_ICD_FILENAMES to lavapipe's, see @scm/backend's README)",
  });
  nodeAdapter = adapterLine(started.adapter);
  return started.tfjsName;
}

/** The Node candidates in selection order (a browser page uses `browserBackendCandidates`). */
export const backendCandidates: readonly BackendCandidate[] = [
  { name: "node-gpu", load: () => loadTensorflow("node-gpu", "@tensorflow/tfjs-node-gpu") },
  { name: "webgpu", load: loadWebgpuNode, adapter: () => nodeAdapter },
  { name: "node", load: () => loadTensorflow("node", "@tensorflow/tfjs-node") },
  { name: "native", load: loadNative, kernels: () => nativeKernels },
  {
    name: "wasm",
    async load() {
      try {
        await import("@tensorflow/tfjs-backend-wasm");
      } catch (err) {
        throw missing("wasm", "@tensorflow/tfjs-backend-wasm", err);
      }
      return "wasm";
    },
  },
  { name: "cpu", load: async () => "cpu" },
];
