import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appendMetrics, readMetrics, truncateMetrics } from "./metrics-log.js";

describe("metrics.jsonl", () => {
  it("appends, reads back, and keeps only the rows of the steps up to a resume point", async () => {
    const dir = await mkdtemp(join(tmpdir(), "metrics-"));
    const path = join(dir, "metrics.jsonl");
    expect(await readMetrics(path)).toEqual([]);
    await appendMetrics(
      path,
      [1, 2, 3, 4].map((step) => ({ step, loss: (step - 1) / 2 })),
    );
    expect((await readMetrics(path)).map((r) => r.loss)).toEqual([0, 0.5, 1, 1.5]);
    expect((await truncateMetrics(path, 2)).map((r) => r.step)).toEqual([1, 2]);
    expect(await readFile(path, "utf8")).toBe('{"step":1,"loss":0}\n{"step":2,"loss":0.5}\n');
    await writeFile(path, '{"step":0,"loss":1}\nnot json\n');
    await expect(readMetrics(path)).rejects.toThrow(`${path} line 2 is not JSON.`);
    await rm(dir, { recursive: true });
  });
});
