// tfjs's WebGPU backend on a given `navigator.gpu`: the browser's, or Dawn's in Node (`webgpu` on
// npm). One definition for both: which adapter, whether it is a software renderer (taken only when
// asked for by name: lavapipe and SwiftShader are slower than the CPU backends), how it is named in
// the start-up line, and the device tfjs runs on. docs/webgpu-probe/README.md has the measurements.
import { BackendUnavailableError, SyncReadError } from "./errors.js";
import { tf } from "./tf.js";

/** The part of `GPUAdapterInfo` that names an adapter. */
export interface AdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}

/** The part of `GPUAdapter` this module uses. */
interface AdapterLike {
  readonly info?: AdapterInfoLike;
  readonly isFallbackAdapter?: boolean;
  readonly features: { has(name: string): boolean };
  readonly limits: Record<string, number>;
  requestDevice(descriptor?: unknown): Promise<unknown>;
}

/** The part of `navigator.gpu` this module uses. */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<unknown>;
}

/** A WebGPU adapter as the start-up line names it. */
export interface WebgpuAdapter {
  /** e.g. "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)" or "nvidia hopper". */
  readonly description: string;
  /** A CPU renderer (lavapipe/llvmpipe, SwiftShader, WARP), not a GPU. */
  readonly software: boolean;
}

// Software renderers by their adapter info: Dawn and Chromium mark them as fallback adapters; older
// builds only say so in the names.
const softwareName = /llvmpipe|lavapipe|swiftshader|software|microsoft basic render|warp/i;

/** Names an adapter and says whether it is a software renderer. */
export function describeAdapter(info: AdapterInfoLike, fallback = false): WebgpuAdapter {
  const parts = [info.description, info.vendor, info.architecture, info.device]
    .map((s) => (s ?? "").trim())
    .filter((s) => s !== "");
  const description = parts.length > 0 ? info.description?.trim() || parts.join(" ") : "unnamed adapter";
  const software =
    fallback ||
    info.isFallbackAdapter === true ||
    softwareName.test(`${info.vendor ?? ""} ${info.architecture ?? ""} ${info.device ?? ""} ${description}`);
  return { description, software };
}

/** How the start-up line names an adapter. */
export function adapterLine(adapter: WebgpuAdapter): string {
  return adapter.software ? `${adapter.description}, software` : adapter.description;
}

/** What `startWebgpu` brought up. */
export interface StartedWebgpu {
  readonly tfjsName: "webgpu";
  readonly adapter: WebgpuAdapter;
}

function reasonOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0]!.replace(/\.$/, "");
}

interface WebgpuModule {
  WebGPUBackend: new (device: unknown, adapterInfo?: unknown) => tf.KernelBackend;
}
interface TensorData {
  values?: unknown;
  dtype?: string;
}

/**
 * Registers tfjs's webgpu backend on an adapter of `gpu`. A software adapter is refused unless
 * `byName` (the backend was asked for by name); `noAdapter` is the reason given where none answers.
 * `syncReads: false` (Node: no OffscreenCanvas) makes a
 * `dataSync` of a device tensor throw `SyncReadError` instead of a ReferenceError deep in tfjs.
 */
export async function startWebgpu(
  gpu: GpuLike,
  options: { byName: boolean; syncReads: boolean; noAdapter?: string },
): Promise<StartedWebgpu> {
  let adapter: AdapterLike | null;
  try {
    adapter = (await gpu.requestAdapter({ powerPreference: "high-performance" })) as AdapterLike | null;
  } catch (err) {
    throw new BackendUnavailableError("webgpu", `requesting a WebGPU adapter failed (${reasonOf(err)})`);
  }
  if (adapter === null || adapter === undefined) {
    throw new BackendUnavailableError("webgpu", options.noAdapter ?? "no WebGPU adapter answered");
  }
  const described = describeAdapter(adapter.info ?? {}, adapter.isFallbackAdapter === true);
  if (described.software && !options.byName) {
    throw new BackendUnavailableError(
      "webgpu",
      `the only adapter is the software renderer "${described.description}", used only when asked for by name (SCM_BACKEND=webgpu)`,
    );
  }
  let mod: WebgpuModule;
  try {
    mod = (await import("@tensorflow/tfjs-backend-webgpu")) as unknown as WebgpuModule;
  } catch (err) {
    throw new BackendUnavailableError(
      "webgpu",
      `@tensorflow/tfjs-backend-webgpu did not load (${reasonOf(err)})`,
    );
  }
  // Small ops on tensors still on the host run on tfjs's cpu backend by default (under 1000 elements,
  // WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD, read once when the module loads), so results would mix two
  // backends' arithmetic and a result could stay on the host; every op runs on the device instead.
  tf.env().set("WEBGPU_CPU_FORWARD", false);
  // The device as tfjs-backend-webgpu 4.22's own factory requests it (timestamp queries for
  // tf.profile, the adapter's limits), but on the adapter chosen above.
  const features = ["timestamp-query"].filter((f) => adapter.features.has(f));
  const limitNames = [
    "maxComputeWorkgroupStorageSize",
    "maxComputeWorkgroupsPerDimension",
    "maxStorageBufferBindingSize",
    "maxBufferSize",
    "maxComputeWorkgroupSizeX",
    "maxComputeInvocationsPerWorkgroup",
  ];
  const requiredLimits = Object.fromEntries(limitNames.map((n) => [n, adapter.limits[n]]));
  if (tf.findBackendFactory("webgpu") !== null) tf.removeBackend("webgpu");
  tf.registerBackend(
    "webgpu",
    async () => {
      const device = await adapter.requestDevice({ requiredFeatures: features, requiredLimits });
      const backend = new mod.WebGPUBackend(device, adapter.info);
      if (!options.syncReads) refuseSyncReads(backend);
      return backend;
    },
    3,
  );
  return { tfjsName: "webgpu", adapter: described };
}

// tfjs-backend-webgpu reads synchronously through OffscreenCanvas; Node has none and fails with
// "OffscreenCanvas is not defined". Values already on the host (fresh uploads) still read.
function refuseSyncReads(backend: tf.KernelBackend): void {
  const b = backend as unknown as {
    readSync(dataId: object): unknown;
    tensorMap: { get(dataId: object): TensorData | undefined };
  };
  const readSync = b.readSync.bind(backend);
  b.readSync = (dataId: object) => {
    const data = b.tensorMap.get(dataId);
    if (data?.values != null || data?.dtype === "string") return readSync(dataId);
    throw new SyncReadError("webgpu");
  };
}
