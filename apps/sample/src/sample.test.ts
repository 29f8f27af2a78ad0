import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tf } from "@scm/backend";
import { flagOf, formatHelp, resolveConfig, UsageError } from "@scm/cli";
import { readNpyFile } from "@scm/io/node";
import { resolveTrainRequest, train } from "@scm/train";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleOptions } from "./options.js";
import { sample } from "./sample.js";

let root: string;
let run: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "scm-sample-"));
  run = join(root, "run");
  const request = await resolveTrainRequest([
    "--preset",
    "toy",
    "--batch-size",
    "16",
    "--images",
    "32",
    "--sample-count",
    "16",
    "--out",
    run,
  ]);
  if (request.help) throw new Error("unexpected --help");
  await train(request.config, { progress: false, log: () => {} });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const configOf = (values: Record<string, unknown>) =>
  resolveConfig(sampleOptions, [{ source: "the command line", values: { run, ...values } }]);

describe("scm-sample --help", () => {
  it("lists every flag", () => {
    const help = formatHelp("usage", sampleOptions);
    for (const key of Object.keys(sampleOptions)) expect(help).toContain(flagOf(key));
  });
});

describe("sample", () => {
  it("writes a picture and the raw samples, sample i the same for any --n", async () => {
    const before = tf.memory().numTensors;
    const small = await sample(
      configOf({ n: 3, steps: 2, npy: join(root, "a.npy"), out: join(root, "a.png") }),
    );
    const large = await sample(
      configOf({ n: 8, steps: 2, npy: join(root, "b.npy"), out: join(root, "b.png") }),
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(small.method).toEqual({ kind: "consistency", steps: 2 });
    const a = await readNpyFile(join(root, "a.npy"));
    const b = await readNpyFile(join(root, "b.npy"));
    expect(a.shape).toEqual([3, 2]);
    expect(b.shape).toEqual([8, 2]);
    // The same seed gives sample i the same noise streams whatever the batch: identical numbers.
    expect(Array.from(b.data.slice(0, 6) as Float32Array)).toEqual(Array.from(a.data as Float32Array));
    expect(large.png).toBe(join(root, "b.png"));
  });

  it("samples a teacher by its ODE with an NFE budget, and rejects an even Heun budget", async () => {
    const out = await sample(configOf({ n: 4, sampler: "ddim", nfe: 4, out: join(root, "ddim.png") }));
    expect(out.method).toEqual({ kind: "ode", sampler: "ddim", nfe: 4 });
    await expect(sample(configOf({ n: 4, sampler: "heun", nfe: 4 }))).rejects.toThrow(
      "--nfe is 4 for heun; expected an odd integer ≥ 1 (NFE = 2N − 1).",
    );
  });

  it("names a missing run and a class for an unconditional model", async () => {
    await expect(sample(configOf({ run: join(root, "nope") }))).rejects.toThrow(
      /nope is neither a run directory nor a checkpoint file/,
    );
    await expect(sample(configOf({ class: 3 }))).rejects.toThrow(
      new UsageError(`--class 3: the model in ${run} is unconditional.`),
    );
  });

  it("samples a model file as it samples its run, with the default picture beside it", async () => {
    const fromRun = await sample(configOf({ n: 4, npy: join(root, "run.npy") }));
    const fromModel = await sample(
      configOf({ run: undefined, model: join(run, "ema.safetensors"), n: 4, npy: join(root, "model.npy") }),
    );
    expect(fromRun.png).toBe(join(run, "samples-1step.png")); // the name scm-train gives it
    expect(fromModel.png).toBe(join(run, "samples-1step.png"));
    const a = await readNpyFile(join(root, "run.npy"));
    const b = await readNpyFile(join(root, "model.npy"));
    expect(Array.from(b.data as Float32Array)).toEqual(Array.from(a.data as Float32Array));
  });

  it("names an unknown model with the shipped ones, and refuses --model with --run", async () => {
    await expect(sample(configOf({ run: undefined, model: "mnist-gan" }))).rejects.toThrow(
      '"mnist-gan" is neither a shipped model (mnist-teacher, mnist-scd, mnist-sct) nor a model file, checkpoint or run directory.',
    );
    await expect(sample(configOf({ model: "mnist-scd" }))).rejects.toThrow(
      /Give either --model or --run, not both/,
    );
  });
});
