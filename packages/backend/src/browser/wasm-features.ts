// What the wasm backend runs with in this page: SIMD, and threads (only when cross-origin isolated).
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { tf } from "../tf.js";

/** The active wasm backend's build: SIMD or not, threaded or not, and its thread count. */
export interface WasmFeatures {
  readonly simd: boolean;
  /** Whether the threaded build runs (the page is cross-origin isolated and the browser allows it). */
  readonly threaded: boolean;
  /** Threads of the pool (tfjs's default for the machine, or `setThreadsCount`'s; 1 when not threaded). */
  readonly threads: number;
}

/** The active wasm backend's features; call after `initBackend` settled on wasm. */
export async function wasmFeatures(): Promise<WasmFeatures> {
  const simd = (await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")) === true;
  const threaded = (await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT")) === true;
  return { simd, threaded, threads: threaded ? getThreadsCount() : 1 };
}
