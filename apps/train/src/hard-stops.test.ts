// Hard stops: a run killed at any point can be resumed or started again, Ctrl-C stops after the
// current step, an edited checkpoint is refused, and sCD refuses a teacher that is no diffusion model.
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readCheckpoint } from "@scm/runs/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveTrainRequest } from "./config.js";
import type { TrainConfig } from "./options.js";
import { train } from "./train.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "scm-train-stops-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const quiet = { progress: false, log: () => {} };
const tiny = ["--preset", "toy", "--batch-size", "16", "--sample-count", "64", "--tangent-warmup", "4"];

async function configOf(argv: string[]): Promise<TrainConfig> {
  const request = await resolveTrainRequest(argv);
  if (request.help) throw new Error("unexpected --help");
  return request.config;
}

/** The pid of a process that has exited: a temp file named after it belongs to no live writer. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

/** What a SIGKILL before the first checkpoint leaves: config.json, a metrics row, a half-written checkpoint. */
async function killedBeforeFirstCheckpoint(out: string, argv: string[]): Promise<string> {
  await mkdir(out, { recursive: true });
  await writeFile(join(out, "config.json"), `${JSON.stringify(await configOf(argv), null, 2)}\n`);
  await writeFile(join(out, "metrics.jsonl"), '{"step":1,"loss":1}\n');
  const temp = `.checkpoint.safetensors.${deadPid()}.0123456789ab.tmp`;
  await writeFile(join(out, temp), "half a checkpoint");
  return temp;
}

describe("a run killed before its first checkpoint", () => {
  it("continues with --resume from step 0, and the temp file of the killed write is removed", async () => {
    const out = join(root, "killed-resume");
    const argv = [...tiny, "--images", "32", "--log-every", "1", "--out", out];
    const temp = await killedBeforeFirstCheckpoint(out, argv);
    const lines: string[] = [];
    const outcome = await train(await configOf(["--resume", "--out", out]), {
      progress: false,
      log: (l) => lines.push(l),
    });
    expect(outcome).toEqual({ status: "finished", step: 2, out });
    expect(lines).toContain(`Removed 1 temp file(s) of an interrupted write from ${out}.`);
    expect(lines).toContain(
      `The run in ${out} stopped before its first checkpoint; starting it again from step 0.`,
    );
    const files = await readdir(out);
    expect(files).not.toContain(temp);
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const steps = (await readFile(join(out, "metrics.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).step);
    expect(steps).toEqual([1, 2]); // the killed run's row is gone, not duplicated
  });

  it("can also be started afresh over, instead of 'already holds files'", async () => {
    const out = join(root, "killed-fresh");
    const argv = [...tiny, "--images", "32", "--out", out];
    await killedBeforeFirstCheckpoint(out, argv);
    expect(await train(await configOf(argv), quiet)).toEqual({ status: "finished", step: 2, out });
    expect((await readCheckpoint(join(out, "checkpoint.safetensors"))).meta["step"]).toBe(2);
  });

  it("is still refused when the directory holds files scm-train did not write", async () => {
    const out = join(root, "foreign");
    const argv = [...tiny, "--images", "32", "--out", out];
    await killedBeforeFirstCheckpoint(out, argv);
    await writeFile(join(out, "notes.txt"), "mine");
    await expect(train(await configOf(argv), quiet)).rejects.toThrow(/already holds files; pass --resume/);
    expect(await readFile(join(out, "notes.txt"), "utf8")).toBe("mine");
  });
});

describe("Ctrl-C", () => {
  it("stops after the current step, not at the next log or checkpoint write", async () => {
    const out = join(root, "ctrl-c");
    const stop = new AbortController();
    const outcome = await train(
      await configOf([
        ...tiny,
        "--images",
        "160",
        "--log-every",
        "100",
        "--checkpoint-every",
        "100",
        "--out",
        out,
      ]),
      {
        progress: false,
        // the signal arrives as Node delivers SIGINT: as a macrotask, once the loop has begun
        log: (l) => {
          if (l.includes(" steps of ")) setImmediate(() => stop.abort());
        },
        signal: stop.signal,
      },
    );
    expect(outcome).toEqual({ status: "interrupted", step: 1, out });
    expect((await readCheckpoint(join(out, "checkpoint.safetensors"))).meta["step"]).toBe(1);
  });
});

describe("an edited checkpoint", () => {
  it("is refused on resume when its JSON state (the step) was changed", async () => {
    const out = join(root, "edited");
    await train(await configOf([...tiny, "--images", "32", "--out", out]), quiet);
    const path = join(out, "checkpoint.safetensors");
    const bytes = await readFile(path);
    const at = bytes.indexOf('\\"step\\":2,');
    expect(at).toBeGreaterThan(0);
    bytes[at + 9] = "1".charCodeAt(0); // "step":2 → "step":1, same length, still valid JSON
    await writeFile(path, bytes);
    await expect(train(await configOf(["--resume", "--out", out, "--images", "64"]), quiet)).rejects.toThrow(
      /checkpoint\.safetensors is corrupt: its state and tensor data have CRC-32/,
    );
  });
});

describe("--mode scd --teacher", () => {
  it("refuses a consistency model as the teacher in one sentence", async () => {
    const sct = join(root, "sct-teacher");
    await train(await configOf([...tiny, "--mode", "sct", "--images", "16", "--out", sct]), quiet);
    const argv = [...tiny, "--mode", "scd", "--teacher", sct, "--images", "16", "--out", join(root, "scd")];
    await expect(train(await configOf(argv), quiet)).rejects.toThrow(
      `--teacher ${sct} is an sCT consistency model, not a diffusion model; sCD distils a diffusion teacher (a --mode diffusion run or mnist-teacher).`,
    );
  });
});
