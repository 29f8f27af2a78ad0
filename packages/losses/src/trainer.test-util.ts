// Shared by the trainer's tests (not built: excluded in tsconfig.json): the small sCT trainer they all
// run, its batches, and a loss that can be made non-finite on demand.
import { Rng, randomNormal, tf } from "@scm/backend";
import { sctLoss } from "./consistency.js";
import { linearTimeModel } from "./testing/index.js";
import { createTrainer, type TrainerOptions } from "./trainer.js";
import type { Loss } from "./types.js";

/** The data's standard deviation. */
export const s = 0.8;

/** `n` batches of 16 samples of N(0, s²I) in 3 dims. */
export const batches = (n: number, seed = 7) => {
  const rng = Rng.seeded(seed);
  return Array.from({ length: n }, () => randomNormal(rng, [16, 3], s));
};

/** The values of named tensors as plain arrays (for exact comparisons). */
export const values = (record: Record<string, tf.Tensor>) =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, Array.from(v.dataSync())]));

/** A linear-time model and an sCT trainer with RAdam, a schedule, clipping and two EMAs; `extra` overrides. */
export function setup(extra: Partial<TrainerOptions> = {}) {
  const model = linearTimeModel(3, [0.1, -0.2, 0.3]);
  const trainer = createTrainer({
    student: model.net,
    params: model.params,
    loss: sctLoss({ tangentWarmup: 4 }),
    optimizer: { kind: "radam" },
    learningRate: { kind: "inverseSqrt", alphaRef: 1e-2, tRef: 2 },
    gradientClip: 10,
    emas: {
      fast: { kind: "halfLife", halfLifeImages: 64, rampupRatio: 0.5 },
      phema: { kind: "power", sigmaRel: 0.1 },
    },
    seed: 3,
    ...extra,
  });
  return {
    model,
    trainer,
    dispose: () => {
      trainer.dispose();
      model.dispose();
    },
  };
}

/** `inner` whose per-sample loss is multiplied by `factor` (NaN, ∞) while `on` is set. */
export function poisonable(inner: Loss, factor: number) {
  const state = { on: false, loss: undefined as unknown as Loss };
  state.loss = (student, batch, context) => {
    const p = inner(student, batch, context);
    const objective = () => {
      const out = p.objective();
      return state.on ? { perSample: tf.mul(out.perSample, factor), logvar: out.logvar } : out;
    };
    return { ...p, objective };
  };
  return state;
}
