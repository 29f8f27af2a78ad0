// Atomic file writes: a temporary file in the same directory, fsync, then rename over the target,
// so readers see the old file or the new one, never a partial one.
import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ScmError } from "@scm/errors";

/** A file could not be read or written; `path` names it. */
export class IoError extends ScmError {
  static override readonly tag: string = "IoError";
  /** The file at fault. */
  readonly path: string;
  constructor(path: string, message: string, cause?: unknown) {
    super(message, { input: path, cause });
    this.path = path;
  }
}

/** Writes bytes or UTF-8 text to `path` atomically (temp file in the same directory, fsync, rename); nothing is left behind on failure. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let created = false;
  try {
    const fh = await open(tmp, "wx");
    created = true;
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    created = false;
  } catch (e) {
    if (created) await rm(tmp, { force: true });
    throw new IoError(path, `Cannot write ${path}: ${(e as Error).message}.`, e);
  }
  // Make the rename durable; directories cannot be fsynced on every platform, so this is best effort.
  try {
    const dh = await open(dir, "r");
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  } catch {
    // best effort only
  }
}
