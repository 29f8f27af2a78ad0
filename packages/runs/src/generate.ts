// Samples from a network, the way the paper samples (§4): the consistency sampler in 1, 2 or N steps
// from t_max, or a teacher's PF-ODE solver (Heun, DPM-Solver-2, DDIM) with a number of evaluations.
// Noise of sample i comes from the seed's stream i, so an image does not depend on the batch size.
// The noise is drawn here with `sampleNoise` and the grid built here, so the samplers check them without
// a read: sampling reads nothing from the device (the caller reads the result, e.g. with
// `sampleGridPngAsync`).
import { Rng, type Tensor, tf } from "@scm/backend";
import {
  consistencyTimes,
  edmTimeGrid,
  type NetworkFn,
  type SamplerName,
  sampleNoise,
  samplers,
  samplingDefaults,
  type VelocityFn,
  velocityOf,
} from "@scm/trigflow";
import { RunError } from "./errors.js";

/** How to sample: consistency steps, or an ODE solver with a budget of network evaluations. */
export type SamplingMethod =
  | { readonly kind: "consistency"; readonly steps: number }
  | { readonly kind: "ode"; readonly sampler: Exclude<SamplerName, "consistency">; readonly nfe: number };

/** Options of `generate`. */
export interface GenerateOptions {
  readonly method: SamplingMethod;
  /** Samples to draw. */
  readonly n: number;
  /** One sample's shape, e.g. [28, 28, 1]. */
  readonly sampleShape: readonly number[];
  /** σ_d of the run. */
  readonly sigmaData: number;
  /** Seed of the noise (default 0). */
  readonly seed?: number;
  /**
   * Classes for a class-conditional network: one for all; "cycle" (sample i gets `i mod numClasses`);
   * or one per sample (e.g. `classRows`, for a grid with one row per class).
   */
  readonly label?: number | "cycle" | readonly number[] | undefined;
  /** Number of classes (needed with `label`). */
  readonly numClasses?: number;
  /**
   * Guidance scale s: a student that embeds s receives it as input (sCD with CFG, §4.2); for an ODE
   * solver on a conditional teacher, F = F_u + s·(F_c − F_u) (classifier-free guidance).
   */
  readonly guidance?: number | undefined;
  /** Whether the network takes the guidance scale as an input (its config's `guidanceEmbedding`). */
  readonly embedsGuidance?: boolean;
  /** Samples per network call (default 64). */
  readonly batchSize?: number;
}

/**
 * The intermediate times of the N-step consistency sampler: t_mid = 1.1 for two steps (the paper's
 * setting); for more, evenly spaced from t_mid down (our choice; the paper reports 1 and 2 steps).
 */
export function consistencyIntermediateTimes(steps: number): number[] {
  if (!(Number.isInteger(steps) && steps >= 1)) {
    throw new RunError(`The number of consistency steps is ${steps}; expected an integer ≥ 1.`);
  }
  const tMid = samplingDefaults.tMid;
  return Array.from({ length: steps - 1 }, (_, k) => (tMid * (steps - 1 - k)) / (steps - 1));
}

/** The ODE solver's step count for an NFE budget: Heun and DPM-2 use 2N − 1 evaluations, DDIM N. */
export function odeSteps(sampler: Exclude<SamplerName, "consistency">, nfe: number): number {
  const steps = sampler === "ddim" ? nfe : (nfe + 1) / 2;
  if (!(Number.isInteger(steps) && steps >= 1)) {
    const expected = sampler === "ddim" ? "an integer ≥ 1" : "an odd integer ≥ 1 (NFE = 2N − 1)";
    throw new RunError(`--nfe is ${nfe} for ${sampler}; expected ${expected}.`);
  }
  return steps;
}

/** Labels for a grid of `perClass` columns with one row per class: [0 × perClass, 1 × perClass, …]. */
export function classRows(numClasses: number, perClass: number): number[] {
  return Array.from({ length: numClasses * perClass }, (_, i) => Math.floor(i / perClass));
}

function checkLabels(options: GenerateOptions): void {
  const { label, numClasses = 0, n } = options;
  if (label === undefined || label === "cycle") return;
  const labels = typeof label === "number" ? [label] : label;
  if (typeof label !== "number" && labels.length !== n) {
    throw new RunError(`${labels.length} labels were given for ${n} samples; expected one per sample.`);
  }
  const bad = labels.find((c) => !(Number.isInteger(c) && c >= 0 && c <= numClasses));
  if (bad !== undefined) {
    throw new RunError(
      `The class is ${bad}; expected an integer in [0, ${numClasses}] (${numClasses} = unconditional).`,
    );
  }
}

function labelsFor(options: GenerateOptions, first: number, b: number): Tensor | undefined {
  const { label, numClasses = 0 } = options;
  if (label === undefined) return undefined;
  const values = Int32Array.from({ length: b }, (_, i) =>
    label === "cycle" ? (first + i) % numClasses : typeof label === "number" ? label : label[first + i]!,
  );
  return tf.tensor1d(values, "int32");
}

function velocityFor(
  net: NetworkFn,
  options: GenerateOptions,
  label: Tensor | undefined,
  b: number,
): VelocityFn {
  const { guidance, embedsGuidance = false, numClasses = 0 } = options;
  const guidanceInput = embedsGuidance ? tf.fill([b], guidance ?? 1) : undefined;
  if (options.method.kind === "ode" && guidance !== undefined && !embedsGuidance && label !== undefined) {
    // Classifier-free guidance on the teacher: F_u + s·(F_c − F_u), the null label being numClasses.
    const nullLabel = tf.fill([b], numClasses, "int32");
    const [conditional, unconditional] = [velocityOf(net, { label }), velocityOf(net, { label: nullLabel })];
    return (x, t) => {
      const Fc = conditional(x, t);
      const Fu = unconditional(x, t);
      return tf.add(Fu, tf.mul(guidance, tf.sub(Fc, Fu)));
    };
  }
  return velocityOf(net, { label, guidance: guidanceInput });
}

/** Draws `n` samples [n, ...sampleShape] from `net` without reading the device; the caller owns the result. */
export function generate(net: NetworkFn, options: GenerateOptions): Tensor {
  const { method, n, sampleShape, sigmaData, seed = 0, batchSize = 64 } = options;
  if (!(Number.isInteger(n) && n >= 1))
    throw new RunError(`The number of samples is ${n}; expected an integer ≥ 1.`);
  if (options.label !== undefined && (options.numClasses ?? 0) <= 0) {
    throw new RunError("A class was requested but the network is unconditional.");
  }
  checkLabels(options);
  const rng = Rng.seeded(seed);
  const ts =
    method.kind === "consistency"
      ? consistencyTimes(method.steps === 1 ? 1 : consistencyIntermediateTimes(method.steps), sigmaData)
      : edmTimeGrid(odeSteps(method.sampler, method.nfe), sigmaData);
  // Reads nothing: the grid is numbers, and noise from `sampleNoise` is finite by construction, so the
  // sampler does not read it back.
  const sampler = samplers[method.kind === "consistency" ? "consistency" : method.sampler];
  const parts: Tensor[] = [];
  for (let first = 0; first < n; first += batchSize) {
    const b = Math.min(batchSize, n - first);
    parts.push(
      tf.tidy(() => {
        const label = labelsFor(options, first, b);
        const noise = sampleNoise(rng, b, [...sampleShape], sigmaData, { first });
        return sampler(velocityFor(net, options, label, b), noise, ts, { sigmaData, rng, first }).x0;
      }),
    );
  }
  const out = parts.length === 1 ? parts[0]! : tf.concat(parts);
  if (parts.length > 1) tf.dispose(parts);
  return out;
}
