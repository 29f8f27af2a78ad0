// Checkpoint files: written atomically (temp file, fsync, rename) and verified when read.
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "@scm/io/node";
import { type Checkpoint, decodeCheckpoint, encodeCheckpoint } from "../checkpoint.js";
import { RunError } from "../errors.js";

/** Writes a checkpoint atomically: readers see the old file or the new one, never a part. */
export async function writeCheckpoint(path: string, checkpoint: Checkpoint<object>): Promise<void> {
  await writeFileAtomic(path, encodeCheckpoint(checkpoint));
}

/** Reads and verifies a checkpoint; a missing, truncated or altered file is a RunError naming it. */
export async function readCheckpoint<M = Record<string, unknown>>(path: string): Promise<Checkpoint<M>> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new RunError(
      `Cannot read the checkpoint ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`,
      path,
    );
  }
  return decodeCheckpoint<M>(bytes, path);
}
