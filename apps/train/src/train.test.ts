import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tf } from "@scm/backend";
import { flagOf, formatHelp, UsageError } from "@scm/cli";
import { decodeImage } from "@scm/io";
import { readCheckpoint } from "@scm/runs/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { networkConfigFor } from "./build.js";
import { resolveTrainRequest } from "./config.js";
import { netPresetNames, optionGroups, type TrainConfig, trainOptions } from "./options.js";
import { train } from "./train.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "scm-train-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const quiet = { progress: false, log: () => {} };
// 16 points a step on the toy MLP; a handful of steps keeps each run to seconds on a CPU.
const tiny = [
  "--preset",
  "toy",
  "--batch-size",
  "16",
  "--sample-count",
  "64",
  "--log-every",
  "1",
  "--tangent-warmup",
  "4",
];

async function configOf(argv: string[]): Promise<TrainConfig> {
  const request = await resolveTrainRequest(argv);
  if (request.help) throw new Error("unexpected --help");
  return request.config;
}

/** Every file of a directory with its bytes, to show a failed start changed nothing. */
async function snapshotDir(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await readdir(dir)) out[f] = (await readFile(join(dir, f))).toString("base64");
  return out;
}

async function weights(dir: string): Promise<Record<string, Float32Array>> {
  const c = await readCheckpoint(join(dir, "checkpoint.safetensors"));
  return Object.fromEntries(Object.entries(c.tensors).map(([k, t]) => [k, t.data]));
}

describe("scm-train --help", () => {
  it("lists every flag, and the help sections cover every setting exactly once", () => {
    const help = formatHelp("usage", trainOptions, optionGroups);
    for (const key of Object.keys(trainOptions)) expect(help).toContain(flagOf(key));
    expect(Object.values(optionGroups).flat().sort()).toEqual(Object.keys(trainOptions).sort());
    // --net's presets are listed (not only after a wrong value)
    for (const name of netPresetNames) expect(help).toContain(name);
    expect(netPresetNames).toContain("unet:mnistSmall");
  });
});

describe("train", () => {
  it("writes config, checkpoint, EMA weights, metrics, sample grids and loss plots", async () => {
    const out = join(root, "full");
    const before = tf.memory().numTensors;
    const outcome = await train(await configOf([...tiny, "--images", "64", "--out", out]), quiet);
    expect(outcome).toEqual({ status: "finished", step: 4, out });
    expect(tf.memory().numTensors).toBe(before);
    const files = (await readdir(out)).sort();
    expect(files).toEqual([
      "checkpoint.safetensors",
      "config.json",
      "ema.safetensors",
      "loss.png",
      "loss.svg",
      "metrics.jsonl",
      "samples-1step.png",
      "samples-2step.png",
    ]);
    const rows = (await readFile(join(out, "metrics.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.step)).toEqual([1, 2, 3, 4]);
    // warmup r = min(1, step/H) with H = 4: 0, 0.25, 0.5, 0.75 (Alg. 1)
    expect(rows.map((r) => r.warmup)).toEqual([0, 0.25, 0.5, 0.75]);
    const png = decodeImage(await readFile(join(out, "samples-1step.png")));
    expect(png.shape[2]).toBe(3);
    expect(JSON.parse(await readFile(join(out, "config.json"), "utf8")).images).toBe(64);
    expect((await readCheckpoint(join(out, "checkpoint.safetensors"))).meta["step"]).toBe(4);
  });

  it("ends with the same weights when interrupted and resumed as when run through", async () => {
    const straight = join(root, "straight");
    const resumed = join(root, "resumed");
    await train(await configOf([...tiny, "--images", "96", "--out", straight]), quiet);
    // Interrupt after the first step (the signal is checked after each step), then resume twice.
    const stop = new AbortController();
    stop.abort();
    const first = await train(await configOf([...tiny, "--images", "96", "--out", resumed]), {
      ...quiet,
      signal: stop.signal,
    });
    expect(first).toEqual({ status: "interrupted", step: 1, out: resumed });
    // an interrupted run still draws its samples
    expect((await stat(join(resumed, "samples-1step.png"))).size).toBeGreaterThan(0);
    await train(await configOf(["--resume", "--out", resumed, "--images", "48"]), quiet);
    await train(await configOf(["--resume", "--out", resumed, "--images", "96"]), quiet);
    const a = await weights(straight);
    const b = await weights(resumed);
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const name of Object.keys(a))
      expect(Buffer.from(b[name]!.buffer).equals(Buffer.from(a[name]!.buffer))).toBe(true);
    const rows = (await readFile(join(resumed, "metrics.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).step);
    expect(rows).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("names in its closing message exactly the files it wrote", async () => {
    // one logged row (--log-every 100 over 2 steps): too few for a loss plot, so none is claimed
    const out = join(root, "closing");
    const lines: string[] = [];
    const argv = [...tiny, "--images", "32", "--log-every", "100", "--out", out];
    await train(await configOf(argv), { progress: false, log: (l) => lines.push(l) });
    const listed = /^Finished 2 steps: (.*) are in /.exec(lines.at(-1)!)![1]!.split(", ");
    expect(listed).toEqual((await readdir(out)).sort());
    expect(listed).not.toContain("loss.png");
  });

  it("distils a teacher run with sCD and guidance", async () => {
    const teacher = join(root, "teacher");
    await train(
      await configOf([
        ...tiny,
        "--mode",
        "diffusion",
        "--images",
        "32",
        "--out",
        teacher,
        "--sample-nfe",
        "3",
      ]),
      quiet,
    );
    const student = join(root, "student");
    const outcome = await train(
      await configOf([...tiny, "--mode", "scd", "--teacher", teacher, "--images", "32", "--out", student]),
      quiet,
    );
    expect(outcome.status).toBe("finished");
    expect((await stat(join(student, "samples-2step.png"))).size).toBeGreaterThan(0);
  });
});

describe("--net", () => {
  it("takes a network config file: an 8×8 one-channel U-Net for 8×8 grey digits", async () => {
    const file = join(root, "net8.json");
    const net = {
      kind: "unet",
      resolution: 8,
      channels: 1,
      modelChannels: 8,
      channelMult: [1, 2],
      numBlocks: 1,
      attnResolutions: [],
      numClasses: 10,
    };
    await writeFile(file, JSON.stringify(net));
    const config = await configOf([
      "--preset",
      "mnist-small",
      "--net",
      file,
      "--image-size",
      "8",
      "--mode",
      "diffusion",
    ]);
    const dataset = {
      name: "digits8",
      x: new Float32Array(64),
      n: 1,
      sampleShape: [8, 8, 1],
      numClasses: 10,
    };
    const resolved = await networkConfigFor(config, dataset);
    expect(resolved).toMatchObject({ ...net, dropout: 0, guidanceEmbedding: false });
    await writeFile(file, "{ not json");
    await expect(networkConfigFor(config, dataset)).rejects.toThrow(new RegExp(`--net ${file} is not JSON`));
    await expect(networkConfigFor({ ...config, net: "unet:nope" }, dataset)).rejects.toThrow(
      /--net is "unet:nope"; expected one of unet:tiny, .*, or a network config \.json file\./,
    );
  });
});

describe("bad input", () => {
  it("names the flag, the value and what was expected", async () => {
    await expect(configOf(["--batch-size", "0"])).rejects.toThrow(
      new UsageError("batchSize (--batch-size) from the command line is 0; expected an integer ≥ 1."),
    );
    await expect(configOf(["--mode", "scd"])).rejects.toThrow(/--teacher MODEL/);
    await expect(configOf(["--preset", "cifar10"])).rejects.toThrow(/cifar10 preset needs --data/);
    await expect(configOf(["--guidance-max", "2"])).rejects.toThrow(/guidance distillation needs mode scd/);
  });

  it("refuses to start over an existing run, leaving it as it was", async () => {
    const out = join(root, "full");
    const before = await snapshotDir(out);
    await expect(train(await configOf([...tiny, "--images", "32", "--out", out]), quiet)).rejects.toThrow(
      /already holds files; pass --resume/,
    );
    expect(await snapshotDir(out)).toEqual(before);
  });

  it("refuses a corrupt checkpoint and a changed setting on resume, leaving the run as it was", async () => {
    const out = join(root, "corrupt");
    await train(await configOf([...tiny, "--images", "32", "--out", out]), quiet);
    const path = join(out, "checkpoint.safetensors");
    const bytes = await readFile(path);
    bytes[bytes.length - 1]! ^= 1;
    await writeFile(path, bytes);
    const before = await snapshotDir(out);
    await expect(train(await configOf(["--resume", "--out", out, "--images", "64"]), quiet)).rejects.toThrow(
      /checkpoint\.safetensors is corrupt: its state and tensor data have CRC-32/,
    );
    await expect(configOf(["--resume", "--out", out, "--lr", "0.5"])).rejects.toThrow(
      /lr \(--lr\) cannot change on --resume: the run in .* has 0.001, this command 0.5\./,
    );
    expect(await snapshotDir(out)).toEqual(before);
  });

  it("stops on a non-finite loss with a message and keeps the last good checkpoint", async () => {
    // lr 1e30: the first update blows the weights up, so step 1's loss is NaN (Adam's step is ~lr).
    const out = join(root, "nonfinite");
    const argv = [...tiny, "--lr", "1e30", "--images", "160", "--checkpoint-every", "1", "--out", out];
    await expect(train(await configOf(argv), quiet)).rejects.toThrow(
      /Training stopped: .*loss NaN.* The last good checkpoint \(step 1\) in .* is kept\./,
    );
    expect((await readCheckpoint(join(out, "checkpoint.safetensors"))).meta["step"]).toBe(1);
    expect((await readdir(out)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("names a bad data file and creates no run directory", async () => {
    const csv = join(root, "ragged.csv");
    await writeFile(csv, "1,2\n3\n");
    const out = join(root, "never");
    await expect(train(await configOf([...tiny, "--data", csv, "--out", out]), quiet)).rejects.toThrow(
      /ragged\.csv/,
    );
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
    await expect(train(await configOf([...tiny, "--fid-every", "2", "--out", out]), quiet)).rejects.toThrow(
      /--fid-every measures FID with the MNIST feature network/,
    );
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
  });
});
