// Learning-rate schedules (App. G): constant (CIFAR-10) and EDM2's inverse square root
// lr = α_ref/√max(step/t_ref, 1) (ImageNet), `step` counting the steps before this one.
import { LossConfigError } from "./errors.js";

/** A learning rate: a constant number, or one of the schedules. */
export type LearningRate =
  | number
  | { readonly kind: "constant"; readonly lr: number }
  | { readonly kind: "inverseSqrt"; readonly alphaRef: number; readonly tRef: number };

function checkPositive(value: number, name: string): void {
  if (!(Number.isFinite(value) && value > 0)) throw new LossConfigError(name, value, "a finite number > 0");
}

/** Checks a learning-rate setting. */
export function checkLearningRate(schedule: LearningRate): void {
  if (typeof schedule === "number") checkPositive(schedule, "learningRate");
  else if (schedule.kind === "constant") checkPositive(schedule.lr, "learningRate.lr");
  else if (schedule.kind === "inverseSqrt") {
    checkPositive(schedule.alphaRef, "learningRate.alphaRef");
    checkPositive(schedule.tRef, "learningRate.tRef");
  } else
    throw new LossConfigError(
      "learningRate.kind",
      JSON.stringify((schedule as { kind: unknown }).kind),
      `"constant" or "inverseSqrt"`,
    );
}

/** The learning rate of the step after `step` completed steps. */
export function learningRateAt(schedule: LearningRate, step: number): number {
  if (typeof schedule === "number") return schedule;
  if (schedule.kind === "constant") return schedule.lr;
  return schedule.alphaRef / Math.sqrt(Math.max(step / schedule.tRef, 1)); // EDM2: α_ref/√max(t/t_ref, 1)
}
