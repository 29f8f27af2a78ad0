// metrics.jsonl: one JSON object per logged step. On resume the rows after the checkpoint's step are
// dropped (they were logged by steps the resumed run redoes), so the file reads as one clean run.
import { appendFile, readFile } from "node:fs/promises";
import { writeFileAtomic } from "@scm/io/node";
import { RunError } from "../errors.js";
import type { MetricsRow } from "../pictures.js";

/** Reads metrics.jsonl (missing file: no rows); a malformed line is a RunError naming it. */
export async function readMetrics(path: string): Promise<MetricsRow[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const rows: MetricsRow[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    try {
      rows.push(JSON.parse(line) as MetricsRow);
    } catch {
      throw new RunError(`${path} line ${i + 1} is not JSON.`, path);
    }
  }
  return rows;
}

/** Appends rows to metrics.jsonl. */
export async function appendMetrics(path: string, rows: readonly MetricsRow[]): Promise<void> {
  if (rows.length > 0) await appendFile(path, rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
}

/** Keeps only the rows of the first `step` steps (atomically rewritten; rows count steps from 1). */
export async function truncateMetrics(path: string, step: number): Promise<MetricsRow[]> {
  const rows = (await readMetrics(path)).filter((r) => r.step <= step);
  await writeFileAtomic(path, rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
  return rows;
}
