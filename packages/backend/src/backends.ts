// The backends sCM-TS knows, fastest first, and how to bring each one up.
import { BackendUnavailableError } from "./errors.js";
import { tf } from "./tf.js";

/**
 * A backend name accepted by `initBackend` and `SCM_BACKEND`: the Node candidates below, plus the
 * browser ones of `@scm/backend/browser` (webgpu, webgl).
 */
export type BackendName = "node-gpu" | "node" | "native" | "webgpu" | "webgl" | "wasm" | "cpu";

/** Every Node backend name, in automatic-selection order (fastest first). */
export const backendNames: readonly BackendName[] = ["node-gpu", "node", "native", "wasm", "cpu"];

/** One way to run tfjs: `load` registers it and returns the tfjs backend name, or throws why not. */
export interface BackendCandidate {
  readonly name: BackendName;
  load(): Promise<string>;
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
  return nativeBackendName;
}

/** The Node candidates in selection order (a browser page uses `browserBackendCandidates`). */
export const backendCandidates: readonly BackendCandidate[] = [
  { name: "node-gpu", load: () => loadTensorflow("node-gpu", "@tensorflow/tfjs-node-gpu") },
  { name: "node", load: () => loadTensorflow("node", "@tensorflow/tfjs-node") },
  { name: "native", load: loadNative },
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
