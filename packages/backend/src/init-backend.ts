// Backend selection: SCM_BACKEND or an explicit choice, else the first candidate that starts.
import { type BackendName, backendCandidates, backendNames } from "./backends.js";
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
}

/** What `initBackend` settled on. */
export interface BackendInfo {
  /** sCM-TS's name of the backend. */
  readonly name: BackendName;
  /** tfjs's name of the backend (`tf.getBackend()`). */
  readonly tfjsName: string;
  /** Why each faster candidate was passed over, in order. */
  readonly skipped: readonly string[];
}

let active: Promise<BackendInfo> | undefined;
let activeRequest: string | undefined;

function envBackend(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.["SCM_BACKEND"]?.trim();
  return value === "" ? undefined : value;
}

function parseRequest(value: string, source: string): BackendName | "auto" {
  if (value === "auto" || (backendNames as readonly string[]).includes(value)) {
    return value as BackendName | "auto";
  }
  throw new TypeError(`${source} is "${value}"; expected one of auto, ${backendNames.join(", ")}.`);
}

interface Selection {
  readonly info: BackendInfo;
  /** Why the native backend was passed over in an automatic selection, for the report line. */
  readonly nativeSkipped?: string;
}

async function select(request: BackendName | "auto"): Promise<Selection> {
  const skipped: string[] = [];
  let nativeSkipped: string | undefined;
  for (const candidate of backendCandidates) {
    if (request !== "auto" && candidate.name !== request) continue;
    try {
      const tfjsName = await candidate.load();
      if (!(await tf.setBackend(tfjsName))) {
        throw new BackendUnavailableError(candidate.name, `tf.setBackend("${tfjsName}") failed`);
      }
      await tf.ready();
      const info = { name: candidate.name, tfjsName, skipped };
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
 * Picks and starts the tfjs backend once per process: the requested one (an error names what is
 * missing if it cannot start), or the fastest that starts: node-gpu → node → native → wasm → cpu.
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const fromEnv = envBackend();
  const request =
    options.backend !== undefined
      ? parseRequest(options.backend, "The backend option")
      : fromEnv !== undefined
        ? parseRequest(fromEnv, "SCM_BACKEND")
        : "auto";
  if (active !== undefined) {
    if (request !== "auto" && activeRequest !== request) {
      return active.then((info) => {
        if (info.name !== request) {
          throw new Error(`initBackend was asked for "${request}" but "${info.name}" is already active.`);
        }
        return info;
      });
    }
    return active;
  }
  activeRequest = request;
  active = select(request).then(({ info, nativeSkipped }) => {
    if (options.quiet !== true) {
      const log = options.log ?? ((line: string) => console.error(line));
      // Where the addon could run (Node) but did not, the one report line says why and how to fix it.
      const isNode = typeof globalThis.process?.versions?.node === "string";
      const note = isNode && nativeSkipped !== undefined ? ` (native skipped: ${nativeSkipped})` : "";
      log(`[scm] tfjs ${tf.version.tfjs} on backend ${info.name}${note}`);
    }
    return info;
  });
  active.catch(() => {
    active = undefined;
    activeRequest = undefined;
  });
  return active;
}
