// The training loop of scm-train: build (all input checked), then create or resume the run
// directory, then step, log, checkpoint and draw, until the images are seen or a stop is asked for.
// Nothing is written before the run is built and, on resume, its checkpoint verified.
import { appendFile, mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { tf } from "@scm/backend";
import { UsageError } from "@scm/cli";
import { BatchSampler } from "@scm/data";
import { createProgress, writeFileAtomic } from "@scm/io/node";
import { NonFiniteError, type StepResult } from "@scm/losses";
import { encodeModelFile, type FidRow, fidCurvePng, fidSeries, type MetricsRow } from "@scm/runs";
import {
  appendMetrics,
  checkpointFileName,
  readCheckpoint,
  truncateMetrics,
  writeCheckpoint,
} from "@scm/runs/node";
import { type BuiltRun, buildRun, emaName } from "./build.js";
import { configFileName } from "./config.js";
import { createMnistFid, type FidEvaluator } from "./fid-eval.js";
import type { TrainConfig } from "./options.js";
import { emaSamples, samplePictures, writeLossPlots, writeSamplePictures } from "./pictures.js";
import { restore, runMeta, snapshot, type TrainCheckpointMeta } from "./run-checkpoint.js";
import { clearUnstarted, directoryState, removeStaleTemps } from "./run-directory.js";

/** How a training run talks to its caller. */
export interface TrainIo {
  /** Aborting stops the run after the current step, with a checkpoint (Ctrl-C in the CLI). */
  readonly signal?: AbortSignal | undefined;
  /** Messages (default: stderr). */
  readonly log?: ((line: string) => void) | undefined;
  /** Show a progress bar (default true). */
  readonly progress?: boolean | undefined;
}

/** How a run ended. */
export interface TrainOutcome {
  readonly status: "finished" | "interrupted";
  /** Steps taken in total. */
  readonly step: number;
  readonly out: string;
}

/** The metrics row of a step. */
function metricsRow(r: StepResult, batchSize: number, seconds: number): MetricsRow {
  return {
    // Steps taken so far, counting from 1 as the progress bar and checkpoints do.
    step: r.step + 1,
    images: (r.step + 1) * batchSize,
    loss: r.loss,
    tangentNorm: r.tangentNorm,
    wPhi: r.wPhi,
    gradNorm: r.gradNorm,
    lr: r.learningRate,
    warmup: r.warmup,
    lossByTime: r.lossByTime.map((b) => b.meanLoss),
    seconds,
  };
}

async function prepareDirectory(
  config: TrainConfig,
  run: BuiltRun,
  log: (line: string) => void,
): Promise<{ sampler: BatchSampler; rows: MetricsRow[] }> {
  const out = config.out!;
  const metricsPath = join(out, "metrics.jsonl");
  // a kill inside an atomic write leaves its temp file; no process of ours is writing now
  const stale = await removeStaleTemps(out);
  if (stale.length > 0) log(`Removed ${stale.length} temp file(s) of an interrupted write from ${out}.`);
  const state = await directoryState(out);
  if (config.resume && state.kind === "checkpointed") {
    const path = join(out, checkpointFileName);
    const checkpoint = await readCheckpoint<TrainCheckpointMeta>(path);
    const samplerState = restore(run, checkpoint, path);
    const sampler = new BatchSampler(run.dataset, { batchSize: config.batchSize!, state: samplerState });
    const rows = await truncateMetrics(metricsPath, checkpoint.meta.step);
    await writeFileAtomic(join(out, configFileName), `${JSON.stringify(config, null, 2)}\n`);
    return { sampler, rows };
  }
  if (state.kind === "unstarted") {
    // stopped before its first checkpoint: nothing to resume, so the run starts again from step 0
    log(`The run in ${out} stopped before its first checkpoint; starting it again from step 0.`);
    await clearUnstarted(out, state.files);
  } else if (config.resume) {
    throw new UsageError(
      state.kind === "foreign"
        ? `--resume: ${out} has no ${checkpointFileName} to continue from and holds files a run writes only after one (${state.files.slice(0, 5).join(", ")}); restore the checkpoint or choose another --out.`
        : `--resume: ${out} holds no run to continue (no ${checkpointFileName} and no ${configFileName}).`,
    );
  } else if (state.kind !== "empty") {
    throw new UsageError(
      `The run directory ${out} already holds files; pass --resume to continue it, or another --out.`,
    );
  }
  await mkdir(out, { recursive: true });
  await writeFileAtomic(join(out, configFileName), `${JSON.stringify(config, null, 2)}\n`);
  return {
    sampler: new BatchSampler(run.dataset, { batchSize: config.batchSize!, seed: config.seed }),
    rows: [],
  };
}

async function checkpoint(run: BuiltRun, config: TrainConfig, sampler: BatchSampler): Promise<void> {
  const out = config.out!;
  const state = await snapshot(run, config, sampler.state());
  await writeCheckpoint(join(out, checkpointFileName), state);
  // The sampling EMA's weights alone as a model file: @scm/nets' interchange format plus the run's meta.
  await writeFileAtomic(
    join(out, "ema.safetensors"),
    await encodeModelFile(run.trainer.emas[emaName]!, runMeta(run, config, state.meta.step)),
  );
}

/** The files a run directory holds, for the closing message (only what was written). */
async function runFiles(out: string): Promise<string> {
  return (await readdir(out))
    .filter((f) => !f.startsWith("."))
    .sort()
    .join(", ");
}

/** FID of the EMA's samples for each of the run's sampling methods, appended to fid.jsonl. */
async function measureFid(
  run: BuiltRun,
  config: TrainConfig,
  evaluator: FidEvaluator,
  step: number,
): Promise<string> {
  const row: Record<string, number> = { step };
  for (const { file, method } of samplePictures(config)) {
    const x = emaSamples(run, config, method, config.fidSamples);
    try {
      row[`fid${file.replace(/^samples|\.png$/g, "")}`] = await evaluator.fid(x);
    } finally {
      tf.dispose(x);
    }
  }
  const path = join(config.out!, "fid.jsonl");
  await appendFile(path, `${JSON.stringify(row)}\n`);
  const rows = (await readFile(path, "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as FidRow);
  await writeFileAtomic(join(config.out!, "fid.png"), fidCurvePng(fidSeries(rows, config.batchSize!)));
  return Object.entries(row)
    .filter(([k]) => k !== "step")
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(", ");
}

/** Trains as `config` says; resolves when the run finished or was interrupted (with a checkpoint). */
export async function train(config: TrainConfig, io: TrainIo = {}): Promise<TrainOutcome> {
  const log = io.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const run = await buildRun(config);
  let fid: FidEvaluator | undefined;
  try {
    if (config.fidEvery > 0) fid = await createMnistFid(run.dataset);
    const { sampler, rows } = await prepareDirectory(config, run, log);
    const out = config.out!;
    const metricsPath = join(out, "metrics.jsonl");
    const batchSize = config.batchSize!;
    const conditional = run.networkConfig.numClasses > 0;
    const first = run.trainer.stepCount;
    if (first >= run.steps) {
      log(
        `The run in ${out} has already taken ${first} of ${run.steps} steps; raise --images to train longer.`,
      );
      return { status: "finished", step: first, out };
    }
    log(
      `${config.mode} on ${run.datasetInfo.name}: ${run.steps - first} steps of ${batchSize} images into ${out}`,
    );
    const progress =
      io.progress === false
        ? undefined
        : createProgress({
            total: run.steps * batchSize,
            initial: first * batchSize,
            label: config.mode,
            unit: "img",
          });
    const started = performance.now();
    let lastCheckpoint = first;
    for (let step = first; step < run.steps; step++) {
      const batch = sampler.nextTensors();
      let result: StepResult;
      try {
        result = await run.trainer.step({ x0: batch.x, label: conditional ? batch.labels : undefined });
      } catch (err) {
        if (err instanceof NonFiniteError) {
          throw new Error(
            `Training stopped: ${err.message} The last good checkpoint (step ${lastCheckpoint}) in ${out} is kept.`,
          );
        }
        throw err;
      } finally {
        tf.dispose([batch.x, batch.labels].filter((t) => t !== undefined));
      }
      const done = step + 1;
      if (done % config.logEvery === 0 || done === run.steps) {
        const row = metricsRow(result, batchSize, (performance.now() - started) / 1000);
        rows.push(row);
        await appendMetrics(metricsPath, [row]);
      }
      progress?.update(done * batchSize, { step: done, loss: result.loss });
      // A step may never wait on I/O, so Ctrl-C's handler (a macrotask) would not run until the next
      // log or checkpoint write; yielding to the event loop once a step lets it run now.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const stopping = io.signal?.aborted === true;
      if (done % config.checkpointEvery! === 0 || done === run.steps || stopping) {
        await checkpoint(run, config, sampler);
        lastCheckpoint = done;
      }
      if (done % config.sampleEvery! === 0 || done === run.steps) {
        await writeSamplePictures(run, config, out);
        await writeLossPlots(rows, out);
      }
      if (fid !== undefined && (done % config.fidEvery === 0 || done === run.steps)) {
        log(
          `\nstep ${done}: ${await measureFid(run, config, fid, done)} (MNIST features, ${config.fidSamples} samples)`,
        );
      }
      if (stopping) {
        progress?.finish();
        // An interrupted run still shows what it has learnt.
        await writeSamplePictures(run, config, out);
        await writeLossPlots(rows, out);
        log(
          `Interrupted at step ${done}: ${await runFiles(out)} are in ${out}; continue with --resume --out ${out}.`,
        );
        return { status: "interrupted", step: done, out };
      }
    }
    progress?.finish();
    log(`Finished ${run.steps} steps: ${await runFiles(out)} are in ${out}.`);
    return { status: "finished", step: run.steps, out };
  } finally {
    fid?.dispose();
    run.dispose();
  }
}
