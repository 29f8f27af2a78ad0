// `pnpm bench`: wall time of one training step (loss, JVP where the objective has one, gradients,
// RAdam, EMA) of the diffusion loss, sCT and sCD (with its teacher) on @scm/nets' MNIST U-Net preset,
// and the ratios sCT/diffusion and sCD/diffusion (the paper: an sCD iteration ≈ 2× a teacher's, §6).
// Prints a table and writes bench-results/step-time.json. Not a test: nothing here asserts.
import { mkdirSync, writeFileSync } from "node:fs";
import { Rng, randomNormal, tf } from "@scm/backend";
import { disposeParams, initUNet, presets, unet } from "@scm/nets";
import { it } from "vitest";
import { scdLoss, sctLoss } from "./consistency.js";
import { diffusionLoss } from "./diffusion.js";
import { createTrainer } from "./trainer.js";
import type { Loss } from "./types.js";

// On tfjs's pure-JS cpu backend one MNIST U-Net forward at batch 1 takes ~3 s, so the defaults are
// small (about three minutes in all); SCM_BENCH_BATCH and SCM_BENCH_REPEATS raise them.
const env = globalThis.process?.env ?? {};
const batch = Number(env["SCM_BENCH_BATCH"] ?? 1);
// SCM_BENCH_PRESET=tiny runs the 8×8 test U-Net instead (seconds; the ratios of a small net).
const presetName = (env["SCM_BENCH_PRESET"] ?? "mnist") as "mnist" | "tiny";
const repeats = Number(env["SCM_BENCH_REPEATS"] ?? 1);

it("benchmarks one training step of diffusion, sCT and sCD on the MNIST U-Net", async () => {
  const config = presets.unet[presetName];
  const r = config.resolution;
  const teacherParams = initUNet(config, 1);
  const teacher = unet(config, teacherParams);
  const x0 = randomNormal(Rng.seeded(0), [batch, r, r, config.channels], 0.5);
  // A class-conditional preset (tiny) gets labels.
  const label = config.numClasses > 0 ? tf.tensor1d(new Array<number>(batch).fill(1), "int32") : undefined;
  const losses: Record<string, Loss> = {
    diffusion: diffusionLoss(),
    sCT: sctLoss(),
    sCD: scdLoss({ teacher }),
  };
  const trainers = Object.fromEntries(
    Object.entries(losses).map(([name, loss]) => {
      const params = initUNet(config, 2);
      const trainer = createTrainer({
        student: unet(config, params),
        params,
        loss,
        emas: { ema: { kind: "power", sigmaRel: 0.05 } },
      });
      return [name, { params, trainer }];
    }),
  );
  const best: Record<string, number> = {};
  for (const { trainer } of Object.values(trainers)) await trainer.step({ x0, label }); // warm-up
  // Interleaved runs, the fastest of each: the estimate least disturbed by other load on the machine.
  for (let i = 0; i < repeats; i++) {
    for (const [name, { trainer }] of Object.entries(trainers)) {
      const start = performance.now();
      await trainer.step({ x0, label }); // reads the loss back, so the step has finished
      best[name] = Math.min(best[name] ?? Number.POSITIVE_INFINITY, performance.now() - start);
    }
  }
  const rows = Object.entries(best).map(([objective, ms]) => ({
    objective,
    batch,
    stepMs: +ms.toFixed(1),
    vsDiffusion: +(ms / best["diffusion"]!).toFixed(2),
  }));
  console.table(rows);
  const result = {
    backend: tf.getBackend(),
    preset: `unet.${presetName}`,
    batch,
    rows,
    sctOverDiffusion: rows[1]!.vsDiffusion,
    scdOverDiffusion: rows[2]!.vsDiffusion,
  };
  console.log(JSON.stringify(result));
  mkdirSync("bench-results", { recursive: true });
  writeFileSync("bench-results/step-time.json", `${JSON.stringify(result, null, 2)}\n`);
  for (const { params, trainer } of Object.values(trainers)) {
    trainer.dispose();
    disposeParams(params);
  }
  disposeParams(teacherParams);
  tf.dispose([x0, label ?? []]);
});
