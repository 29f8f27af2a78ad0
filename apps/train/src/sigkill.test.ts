// Real SIGKILLs of the scm-train process (dist/main.js, which `pnpm test` builds first): killed before
// its first checkpoint and killed at a random moment after one (often inside an atomic checkpoint
// write), the run resumes, and ends with the same weights, tensor for tensor, as a run never killed.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readCheckpoint } from "@scm/runs/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveTrainRequest } from "./config.js";
import type { TrainConfig } from "./options.js";
import { train } from "./train.js";

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const quiet = { progress: false, log: () => {} };
// the tests' backend (SCM_BACKEND, default cpu) in the child too, so weights compare bit for bit
const argv = (out: string) => [
  "--preset",
  "toy",
  "--batch-size",
  "16",
  "--sample-count",
  "16",
  "--tangent-warmup",
  "4",
  "--images",
  "320",
  "--checkpoint-every",
  "1",
  "--sample-every",
  "1000",
  "--backend",
  process.env["SCM_BACKEND"] ?? "cpu",
  "--out",
  out,
];
// a child process starts the backend and builds the run: seconds idle, a minute or more under load
const SLOW = 300_000;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "scm-train-kill-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function configOf(args: string[]): Promise<TrainConfig> {
  const request = await resolveTrainRequest(args);
  if (request.help) throw new Error("unexpected --help");
  return request.config;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts scm-train, waits until `ready` holds (or it exits), waits `delayMs` more and SIGKILLs it. */
async function killWhen(args: string[], ready: () => boolean, delayMs: number): Promise<void> {
  const child = spawn(process.execPath, [main, ...args], { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  while (!ready() && child.exitCode === null) await sleep(5);
  await sleep(delayMs);
  child.kill("SIGKILL");
  await exited;
}

async function weights(dir: string): Promise<Record<string, Float32Array>> {
  const c = await readCheckpoint(join(dir, "checkpoint.safetensors"));
  return Object.fromEntries(Object.entries(c.tensors).map(([k, t]) => [k, t.data]));
}

describe.skipIf(!existsSync(main))("SIGKILL of scm-train", () => {
  it(
    "resumes after kills before and after the first checkpoint with the weights of an uninterrupted run",
    async () => {
      const straight = join(root, "straight");
      await train(await configOf(argv(straight)), quiet);

      const killed = join(root, "killed");
      const config = join(killed, "config.json");
      const checkpoint = join(killed, "checkpoint.safetensors");
      // 1. killed once config.json is written, before the first checkpoint
      await killWhen(argv(killed), () => existsSync(config), 0);
      // 2. restarted with --resume and killed at a random moment after its first checkpoint
      await killWhen(["--resume", "--out", killed], () => existsSync(checkpoint), Math.random() * 300);
      // 3. resumed in this process to the end
      const outcome = await train(await configOf(["--resume", "--out", killed]), quiet);
      expect(outcome.status).toBe("finished");
      expect((await readdir(killed)).filter((f) => f.endsWith(".tmp"))).toEqual([]);

      const a = await weights(straight);
      const b = await weights(killed);
      expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
      const differing = Object.keys(a).filter(
        (n) => !Buffer.from(b[n]!.buffer).equals(Buffer.from(a[n]!.buffer)),
      );
      expect(differing).toEqual([]);
    },
    SLOW,
  );
});
