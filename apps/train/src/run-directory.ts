// What a run directory holds before training starts, and the clean-up a hard stop may call for:
// temp files of an atomic write killed half way, and a run killed before its first checkpoint
// (config.json, perhaps metrics and pictures, but nothing to resume from), which starts again.
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { checkpointFileName } from "@scm/runs/node";
import { configFileName } from "./config.js";

/** A temp file of @scm/io's writeFileAtomic: `.<name>.<pid>.<12 hex>.tmp`. */
const TEMP_FILE = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/** Files scm-train writes before its first checkpoint (not ema.safetensors: trained weights are never cleared). */
const RUN_FILE =
  /^(config\.json|metrics\.jsonl|fid\.jsonl|fid\.png|loss\.png|loss\.svg|samples-[a-z0-9-]+\.png)$/;

/** What a run directory holds. */
export type DirectoryState =
  /** Missing or empty: a fresh run may start. */
  | { readonly kind: "empty" }
  /** A run that never wrote a checkpoint: only scm-train's own files, no checkpoint.safetensors. */
  | { readonly kind: "unstarted"; readonly files: readonly string[] }
  /** A run with a checkpoint to resume from. */
  | { readonly kind: "checkpointed" }
  /** Files scm-train did not write: not ours to touch. */
  | { readonly kind: "foreign"; readonly files: readonly string[] };

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

/** Removes temp files left by atomic writes of processes no longer running; returns their names. */
export async function removeStaleTemps(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const stale = names.filter((n) => {
    const m = TEMP_FILE.exec(n);
    return m !== null && !alive(Number(m[1]));
  });
  for (const n of stale) await rm(join(dir, n), { force: true });
  return stale;
}

/** Classifies a run directory (temp files of atomic writes are ignored). */
export async function directoryState(dir: string): Promise<DirectoryState> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => !TEMP_FILE.test(n));
  if (names.length === 0) return { kind: "empty" };
  if (names.includes(checkpointFileName)) return { kind: "checkpointed" };
  const foreign = names.filter((n) => !RUN_FILE.test(n));
  if (foreign.length > 0 || !names.includes(configFileName)) return { kind: "foreign", files: names };
  return { kind: "unstarted", files: names };
}

/** Removes the files of a run that never reached its first checkpoint, so it can start from step 0. */
export async function clearUnstarted(dir: string, files: readonly string[]): Promise<void> {
  for (const n of files) if (RUN_FILE.test(n)) await rm(join(dir, n), { force: true });
}
