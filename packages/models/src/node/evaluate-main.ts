#!/usr/bin/env node
// `pnpm --filter @scm/models evaluate`: the numbers of docs/results.md. Draws 1,000 class-conditional
// samples (100 per digit) from each model and sampler, judges them with @scm/fid's MNIST network
// (./judge.ts), and writes the rows as JSON and a markdown table; with --runs, also the FID-MNIST
// against training images plot from the runs' fid.jsonl.
import { mkdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { initBackend, tf } from "@scm/backend";
import { backendOption, formatHelp, type OptionTable, parseFlags, resolveConfig, runMain } from "@scm/cli";
import { loadMnist } from "@scm/data/node";
import { writeFileAtomic } from "@scm/io/node";
import {
  classRows,
  type FidRow,
  fidCurvePng,
  fidSeries,
  generate,
  type LoadedNetwork,
  type SamplingMethod,
  sampleGridPngAsync,
} from "@scm/runs";
import { loadModel } from "./index.js";
import { createMnistJudge, type SampleQuality } from "./judge.js";

const options = {
  teacher: {
    type: "string",
    default: "mnist-teacher",
    doc: "the diffusion teacher (name, model file or run)",
  },
  scd: { type: "string", default: "mnist-scd", doc: "the sCD student" },
  sct: { type: "string", default: "mnist-sct", doc: "the sCT student" },
  perClass: { type: "number", integer: true, min: 2, default: 100, doc: "samples per digit" },
  guidance: {
    type: "number",
    min: 1,
    default: 1,
    doc: "guidance scale s for the teacher's CFG and sCD's input",
  },
  out: { type: "string", default: "docs/results", doc: "directory for results.json, table.md and grids" },
  runs: { type: "string", multiple: true, doc: "run directories (name=dir) whose fid.jsonl to plot" },
  backend: backendOption,
} as const satisfies OptionTable;

interface Row extends SampleQuality {
  readonly model: string;
  readonly sampler: string;
  readonly nfe: number;
  readonly msPerImage: number;
}

const fmt = (v: number | undefined, digits: number) => (v === undefined ? "–" : v.toFixed(digits));
const trainingCost = (c: { images: number; seconds: number } | undefined) =>
  c === undefined ? "– | –" : `${c.images.toLocaleString("en")} | ${(c.seconds / 60).toFixed(1)} min`;

runMain("evaluate", async (argv) => {
  const flags = parseFlags(options, argv);
  if (flags.help) {
    process.stdout.write(formatHelp("usage: evaluate [flags]", options));
    return 0;
  }
  const config = resolveConfig(options, [{ source: "the command line", values: flags.values }]);
  const backend = await initBackend({ backend: config.backend });
  await mkdir(config.out, { recursive: true });
  const judge = await createMnistJudge();
  const labels = classRows(10, config.perClass);
  const n = labels.length;
  const rows: Row[] = [];
  const log = (line: string) => process.stderr.write(`${line}\n`);

  // Each run's training cost (its last metrics row) and its FID-MNIST curve, read first so that a
  // wrong directory fails before minutes of sampling.
  const cost = new Map<string, { images: number; seconds: number }>();
  const series = [];
  for (const entry of config.runs ?? []) {
    const [name, dir] = entry.includes("=")
      ? (entry.split("=", 2) as [string, string])
      : [basename(entry), entry];
    const runConfig = JSON.parse(await readFile(join(dir, "config.json"), "utf8")) as { batchSize: number };
    const jsonl = async (file: string) =>
      (await readFile(join(dir, file), "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
    const last = (await jsonl("metrics.jsonl")).at(-1) as { step: number; seconds: number };
    cost.set(name, { images: last.step * runConfig.batchSize, seconds: last.seconds });
    series.push(...fidSeries((await jsonl("fid.jsonl")) as FidRow[], runConfig.batchSize, name));
  }
  if (series.length > 0) {
    await writeFileAtomic(
      join(config.out, "fid-vs-images.png"),
      fidCurvePng(series, "FID-MNIST (500 samples) during training"),
    );
  }

  // The floor: real held-out digits (the feature net's own held-out split), as many as the samples.
  const heldOut = await loadMnist({ part: "heldout", split: "fid" });
  const real = tf.tensor4d(heldOut.x.subarray(0, n * 784), [n, 28, 28, 1]);
  const realLabels = Array.from(heldOut.labels!.subarray(0, n));
  rows.push({
    model: "held-out digits",
    sampler: "–",
    nfe: 0,
    msPerImage: 0,
    ...(await judge.judge(real, realLabels)),
  });
  real.dispose();

  const measure = async (name: string, loaded: LoadedNetwork, method: SamplingMethod, label: string) => {
    const { meta } = loaded;
    const guided = meta.network.guidanceEmbedding || (method.kind === "ode" && config.guidance > 1);
    const started = performance.now();
    const x = generate(loaded.net, {
      method,
      n,
      sampleShape: meta.dataset.sampleShape,
      sigmaData: meta.sigmaData,
      label: labels,
      numClasses: meta.network.numClasses,
      guidance: guided ? config.guidance : undefined,
      embedsGuidance: meta.network.guidanceEmbedding,
    }) as tf.Tensor4D;
    await x.data(); // sampling time includes the device work
    const msPerImage = (performance.now() - started) / n;
    const quality = await judge.judge(x, labels);
    const nfe = method.kind === "consistency" ? method.steps : method.nfe;
    const file = `${name}-${label}.png`;
    // The grid: the first (up to) 10 samples of each digit, one row per digit.
    const columns = Math.min(10, config.perClass);
    const grid = tf.tidy(() =>
      tf.concat(Array.from({ length: 10 }, (_, c) => x.slice([c * config.perClass], [columns]))),
    );
    await writeFileAtomic(join(config.out, file), await sampleGridPngAsync(grid, columns));
    tf.dispose([x, grid]);
    rows.push({
      model: name,
      sampler: label,
      nfe: nfe * (guided && !meta.network.guidanceEmbedding ? 2 : 1),
      msPerImage,
      ...quality,
    });
    log(
      `${name} ${label}: FID ${quality.fid.toFixed(2)}, accuracy ${(100 * quality.accuracy!).toFixed(1)}% (${msPerImage.toFixed(1)} ms/img)`,
    );
  };

  for (const [name, source, methods] of [
    [
      "teacher",
      config.teacher,
      [
        [{ kind: "ode", sampler: "heun", nfe: 35 }, "heun-35"],
        [{ kind: "ode", sampler: "dpm2", nfe: 35 }, "dpm2-35"],
      ],
    ],
    [
      "scd",
      config.scd,
      [
        [{ kind: "consistency", steps: 1 }, "1-step"],
        [{ kind: "consistency", steps: 2 }, "2-step"],
      ],
    ],
    [
      "sct",
      config.sct,
      [
        [{ kind: "consistency", steps: 1 }, "1-step"],
        [{ kind: "consistency", steps: 2 }, "2-step"],
      ],
    ],
  ] as [string, string, [SamplingMethod, string][]][]) {
    const loaded = await loadModel(source);
    try {
      for (const [method, label] of methods) await measure(name, loaded, method, label);
    } finally {
      loaded.dispose();
    }
  }
  judge.dispose();

  const table = [
    `| model | sampler | NFE | FID-MNIST | KID | class accuracy | ms/image | training images | training time |`,
    `|---|---|---|---|---|---|---|---|---|`,
    ...rows.map(
      (r) =>
        `| ${r.model} | ${r.sampler} | ${r.nfe || "–"} | ${fmt(r.fid, 2)} | ${fmt(r.kid, 2)} ± ${fmt(r.kidStd, 2)} | ${fmt(r.accuracy === undefined ? undefined : 100 * r.accuracy, 1)}% | ${r.msPerImage ? fmt(r.msPerImage, 2) : "–"} | ${trainingCost(cost.get(r.model))} |`,
    ),
  ].join("\n");
  const measured = {
    date: new Date().toISOString(),
    backend: backend.name,
    n,
    guidance: config.guidance,
    rows,
    training: Object.fromEntries(cost),
  };
  await writeFileAtomic(join(config.out, "results.json"), `${JSON.stringify(measured, null, 2)}\n`);
  await writeFileAtomic(join(config.out, "table.md"), `${table}\n`);
  process.stdout.write(`${table}\n`);

  return 0;
});
