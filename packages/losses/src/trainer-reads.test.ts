// The trainer's device reads: one per step, awaited (none synchronous, which a GPU backend lacks),
// whatever the objective (the losses call @scm/trigflow's unchecked twins), and batch.x0's NaN check
// riding in that read with the trainer left as it was when it fails.
import { tf } from "@scm/backend";
import { countReadsAsync } from "@scm/backend/testing/count-reads";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { describe, expect, it } from "vitest";
import { scdLoss, sctLoss } from "./consistency.js";
import { diffusionLoss } from "./diffusion.js";
import { LossConfigError } from "./errors.js";
import { idealDiffusionNet } from "./testing/index.js";
import type { StepResult, TrainerOptions } from "./trainer.js";
import { batches, s, setup, values } from "./trainer.test-util.js";

keepTensorCount(() => tf.memory().numTensors);

const guidance = { sMax: 2, nullLabel: 10 };
const objectives: [string, Partial<TrainerOptions>][] = [
  ["sCT", {}],
  ["sCT, discrete time (N = 8)", { loss: sctLoss({ tangentWarmup: 4, time: { steps: 8 } }) }],
  ["sCD", { loss: scdLoss({ teacher: idealDiffusionNet(s, 0.5), tangentWarmup: 4 }) }],
  ["sCD with guidance", { loss: scdLoss({ teacher: idealDiffusionNet(s, 0.5), guidance }) }],
  ["diffusion, label dropout", { loss: diffusionLoss({ labelDropout: { rate: 0.5, nullLabel: 10 } }) }],
];

describe("Trainer reads", () => {
  it.each(objectives)("reads the device once per step: 1 data(), no dataSync (%s)", async (_, options) => {
    const xs = batches(3);
    const label = tf.tensor1d(
      Array.from({ length: 16 }, (_, i) => i % 10),
      "int32",
    );
    const counted = setup(options);
    const plain = setup(options);
    for (const x0 of xs) {
      const a = await countReadsAsync(() => counted.trainer.step({ x0, label }));
      expect([a.sync, a.async]).toEqual([0, 1]);
      // The counted steps are real steps: those of an uncounted trainer, bit for bit.
      expect(a.value).toEqual(await plain.trainer.step({ x0, label }));
    }
    counted.dispose();
    plain.dispose();
    tf.dispose([...xs, label]);
  });
});

describe("Trainer with a non-finite batch.x0", () => {
  const cases: [string, "throw" | "skip", number][] = [
    ["NaN, policy throw", "throw", Number.NaN],
    ["NaN, policy skip", "skip", Number.NaN],
    ["−Infinity, policy skip", "skip", Number.NEGATIVE_INFINITY],
    ["+Infinity, policy throw", "throw", Number.POSITIVE_INFINITY],
  ];

  it.each(cases)(
    "throws a LossConfigError naming batch.x0 and leaves the trainer as it was (%s)",
    async (_, onNonFinite, bad) => {
      const xs = batches(3);
      const a = setup({ onNonFinite });
      const ref = setup({ onNonFinite });
      const take = (t: typeof a.trainer, x0: tf.Tensor): Promise<StepResult> => t.step({ x0 });
      await take(a.trainer, xs[0]!);
      await take(ref.trainer, xs[0]!);
      // One bad element among 48: the check is over all of x0, not a sample of it.
      const poisoned = tf.tidy(() => tf.where(tf.equal(tf.range(0, 48).reshape([16, 3]), 37), bad, xs[1]!));
      const count = tf.memory().numTensors;
      const [weights, state] = [values(a.model.params), await a.trainer.exportState()];

      const error = await take(a.trainer, poisoned).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LossConfigError);
      expect((error as LossConfigError).input).toBe("batch.x0");
      expect((error as Error).message).toBe(
        "batch.x0 is a float32 [16, 3] tensor holding NaN or ±Infinity; expected finite numbers (the step was not applied).",
      );
      expect(tf.memory().numTensors).toBe(count);
      expect(values(a.model.params)).toEqual(weights);
      expect(await a.trainer.exportState()).toEqual(state); // step, images, skipped, Rng, optimizer, EMAs
      expect(a.trainer.stepCount).toBe(1);
      // The failed step consumed nothing: the next is the one an untouched trainer takes, bit for bit.
      expect(await take(a.trainer, xs[2]!)).toEqual(await take(ref.trainer, xs[2]!));
      expect(values(a.model.params)).toEqual(values(ref.model.params));
      a.dispose();
      ref.dispose();
      tf.dispose([...xs, poisoned]);
    },
  );
});
