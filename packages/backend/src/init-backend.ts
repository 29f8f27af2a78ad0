// Backend selection: SCM_BACKEND or an explicit choice, else the first candidate that starts.
import { type BackendCandidate, type BackendName, backendCandidates } from "./backends.js";
import { BackendUnavailableError } from "./errors.js";
import { tf } from "./tf.js";

/** Options of `initBackend`. */
export interface InitBackendOptions {
  /** A backend to require; default: `SCM_BACKEND`, else automatic ("auto"). */
  backend?: BackendName | "auto" | undefined;
  /** Do not print the one-line report of the active backend. */
  quiet?: boolean;
  /** Where the report goes (default `console.error`, keeping stdout for data). */
  log?: (line: string) => void;
  /**
   * Kernels the caller needs (e.g. `trainingKernels`): automatic selection passes over a backend that
   * lacks one; an explicitly requested backend that lacks one is an error naming it.
   */
  requiredKernels?: readonly string[];
  /**
   * The candidates to choose from, fastest first (default: the Node ones, `backendCandidates`); a
   * browser page passes `browserBackendCandidates(…)` of `@scm/backend/browser`.
   */
  candidates?: readonly BackendCandidate[];
}

/** Kernels reverse mode through the sCM networks needs; tfjs 4.22's wasm backend lacks two of them. */
export const trainingKernels: readonly string[] = [
  "Conv2DBackpropFilter",
  "Conv2DBackpropInput",
  "UnsortedSegmentSum", // the gradient of gather (label embeddings)
];

/** The kernels among `names` that the tfjs backend `tfjsName` has not registered. */
export function missingKernels(names: readonly string[], tfjsName: string = tf.getBackend()): string[] {
  return names.filter((name) => tf.getKernel(name, tfjsName) === undefined);
}

/** What `initBackend` settled on. */
export interface BackendInfo {
  /** sCM-TS's name of the backend. */
  readonly name: BackendName;
  /** tfjs's name of the backend (`tf.getBackend()`). */
  readonly tfjsName: string;
  /** Why each faster candidate was passed over, in order. */
  readonly skipped: readonly string[];
  /** The GPU adapter it runs on (webgpu), as the start-up line names it. */
  readonly adapter?: string;
  /** The CPU kernels it runs (native: "AVX-512 GEMM, 2 threads"), as the start-up line names them. */
  readonly kernels?: string;
}

let active: Promise<BackendInfo> | undefined;

function envBackend(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.["SCM_BACKEND"]?.trim();
  return value === "" ? undefined : value;
}

function parseRequest(
  value: string,
  source: string,
  candidates: readonly BackendCandidate[],
): BackendName | "auto" {
  const names = candidates.map((c) => c.name as string);
  if (value === "auto" || names.includes(value)) {
    return value as BackendName | "auto";
  }
  throw new TypeError(`${source} is "${value}"; expected one of auto, ${names.join(", ")}.`);
}

interface Selection {
  readonly info: BackendInfo;
  /** Why the native backend was passed over in an automatic selection, for the report line. */
  readonly nativeSkipped?: string;
}

// tfjs warns on first use of the cpu backend in Node ("install our node backend"), and a node package
// whose binding is missing has already registered its kernels before failing, so the next one warns
// "already registered" for each. Our one report line says what matters; these are dropped.
const expectedNoise = /already registered|looks like you are running TensorFlow\.js in Node/i;

async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!expectedNoise.test(args.map(String).join(" "))) warn(...args);
  };
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}

async function select(
  request: BackendName | "auto",
  required: readonly string[],
  candidates: readonly BackendCandidate[],
): Promise<Selection> {
  const skipped: string[] = [];
  let nativeSkipped: string | undefined;
  let adapter: string | undefined;
  let kernels: string | undefined;
  for (const candidate of candidates) {
    if (request !== "auto" && candidate.name !== request) continue;
    try {
      const tfjsName = await quietly(async () => {
        const name = await candidate.load({ byName: request !== "auto" });
        adapter = candidate.adapter?.();
        kernels = candidate.kernels?.();
        const missing = missingKernels(required, name);
        if (missing.length > 0) {
          throw new BackendUnavailableError(candidate.name, `it has no ${missing.join(", ")} kernel`);
        }
        if (!(await tf.setBackend(name))) {
          throw new BackendUnavailableError(candidate.name, `tf.setBackend("${name}") failed`);
        }
        await tf.ready();
        tf.tensor(0).dispose(); // the cpu backend's first-write notice, while it is filtered
        return name;
      });
      const info: BackendInfo = {
        name: candidate.name,
        tfjsName,
        skipped,
        ...(adapter === undefined ? {} : { adapter }),
        ...(kernels === undefined ? {} : { kernels }),
      };
      return nativeSkipped === undefined ? { info } : { info, nativeSkipped };
    } catch (err) {
      if (request !== "auto") throw err;
      skipped.push(err instanceof Error ? err.message : String(err));
      if (err instanceof BackendUnavailableError && err.backend === "native") nativeSkipped = err.reason;
    }
  }
  throw new BackendUnavailableError(request, "no candidate backend started");
}

/**
 * Picks and starts the tfjs backend once per process (or page): the requested one (an error names
 * what is missing if it cannot start), or the fastest that starts: node-gpu → webgpu (hardware adapters only) →
 * node → native → wasm → cpu in Node; webgpu → webgl → wasm → cpu with the browser candidates.
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const candidates = options.candidates ?? backendCandidates;
  const fromEnv = envBackend();
  const request =
    options.backend !== undefined
      ? parseRequest(options.backend, "The backend option", candidates)
      : fromEnv !== undefined
        ? parseRequest(fromEnv, "SCM_BACKEND", candidates)
        : "auto";
  const required = options.requiredKernels ?? [];
  if (active !== undefined) {
    return active.then((info) => {
      if (request !== "auto" && info.name !== request) {
        throw new Error(`initBackend was asked for "${request}" but "${info.name}" is already active.`);
      }
      const missing = missingKernels(required, info.tfjsName);
      if (missing.length > 0) {
        throw new BackendUnavailableError(
          info.name,
          `it is already active and has no ${missing.join(", ")} kernel`,
        );
      }
      return info;
    });
  }
  active = select(request, required, candidates).then(({ info, nativeSkipped }) => {
    if (options.quiet !== true) {
      const log = options.log ?? ((line: string) => console.error(line));
      // Where the addon could run (Node) but did not, the one report line says why and how to fix it.
      const isNode = typeof globalThis.process?.versions?.node === "string";
      const note = isNode && nativeSkipped !== undefined ? ` (native skipped: ${nativeSkipped})` : "";
      const on =
        info.adapter !== undefined
          ? ` (adapter: ${info.adapter})`
          : info.kernels !== undefined
            ? ` (${info.kernels})`
            : "";
      log(`[scm] tfjs ${tf.version.tfjs} on backend ${info.name}${on}${note}`);
    }
    return info;
  });
  active.catch(() => {
    active = undefined;
  });
  return active;
}
