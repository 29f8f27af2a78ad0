// One optimisation step of any `Loss` (the training step of docs/architecture.md): constants and JVP with no
// tape → tf.variableGrads over the student's parameters → non-finite check → global-norm clipping →
// Adam/RAdam → EMA, with one device read between the gradient and the update, awaited (a GPU backend
// has no synchronous read: docs/webgpu-probe/README.md), and no other: the losses use @scm/trigflow's unchecked twins,
// and batch.x0's NaN/±Infinity check rides in this read. Every tensor a step makes is freed by its
// end, so the tensor count is flat across steps. Every draw comes from the trainer's Rng (one fork per
// step), so an exported and re-imported trainer continues bit for bit.
import { Rng, type RngState, type Tensor, tf } from "@scm/backend";
import { formatShape } from "@scm/errors";
import { withSharedDropoutMasks } from "@scm/jvp";
import type { NetworkFn } from "@scm/trigflow";
import { lossByTimeBin, mean, type TimeBin } from "./diagnostics.js";
import { checkEma, type EmaConfig, emaBeta, updateEma } from "./ema.js";
import { LossConfigError, NonFiniteError, TrainerBusyError, TrainerStateError } from "./errors.js";
import { AdamFamily, type OptimizerConfig } from "./optimizer.js";
import { checkLearningRate, type LearningRate, learningRateAt } from "./schedule.js";
import type { Loss, LossBatch, ObjectiveOutput } from "./types.js";

/** What the trainer does when a step's loss or gradient is not finite: skip the update, or throw. */
export type NonFinitePolicy = "skip" | "throw";

/** Options of `createTrainer`. */
export interface TrainerOptions {
  /** The network being trained; it must read its weights from `params`. */
  readonly student: NetworkFn;
  /** The weights by stable name (the checkpoint's names); the trainable ones are trained, others left as is. */
  readonly params: Readonly<Record<string, tf.Variable>>;
  /** The objective: `diffusionLoss`, `sctLoss`, `scdLoss`, or any `Loss`. */
  readonly loss: Loss;
  /** Adam or RAdam (default RAdam with App. G's β (0.9, 0.99), ε 1e-8). */
  readonly optimizer?: OptimizerConfig;
  /** The learning rate or schedule (default 1e-4, App. G's CIFAR-10 value). */
  readonly learningRate?: LearningRate;
  /** Clip the gradient's global L2 norm to this value (default: no clipping). */
  readonly gradientClip?: number | undefined;
  /** EMAs of the weights by name (default none), e.g. `{ ema: { kind: "power", sigmaRel: 0.05 } }`. */
  readonly emas?: Readonly<Record<string, EmaConfig>>;
  /** The seed of the trainer's Rng (default 0). */
  readonly seed?: number;
  /** On a non-finite loss or gradient: `throw` a NonFiniteError (default) or `skip` the update. */
  readonly onNonFinite?: NonFinitePolicy;
  /** Bins of [0, π/2] for the loss by t (default 8). */
  readonly timeBins?: number;
}

/** What one step reports. */
export interface StepResult {
  /** The step's index (steps before it). */
  readonly step: number;
  /** The batch-mean loss. */
  readonly loss: number;
  /** Mean ‖g‖₂ before normalisation (sCT/sCD; NaN for the diffusion loss). */
  readonly tangentNorm: number;
  /** Mean w_φ(t) = −logvar over the batch. */
  readonly wPhi: number;
  /** The gradient's global L2 norm before clipping. */
  readonly gradNorm: number;
  /** The learning rate used. */
  readonly learningRate: number;
  /** The tangent-warmup factor r (sCT/sCD; NaN for the diffusion loss). */
  readonly warmup: number;
  /** The loss by t-bin. */
  readonly lossByTime: readonly TimeBin[];
  /** True when the update was skipped for a non-finite loss or gradient (policy `skip`). */
  readonly skipped: boolean;
}

/** The trainer's exportable state: JSON metadata plus float32 tensors by name (safetensors-ready). */
export interface TrainerState {
  readonly meta: {
    readonly version: 1;
    /** Steps taken, skipped ones included. */
    readonly step: number;
    /** Images of the applied steps (the EMAs' clock). */
    readonly images: number;
    /** Steps skipped for non-finite values. */
    readonly skipped: number;
    readonly rng: RngState;
    readonly optimizer: { readonly kind: "adam" | "radam"; readonly step: number };
  };
  /** `optimizer.m.<param>`, `optimizer.v.<param>`, `ema.<ema>.<param>`: shapes and float32 values. */
  readonly tensors: Readonly<Record<string, { readonly shape: number[]; readonly data: Float32Array }>>;
}

/** A training loop's state and its step. */
export interface Trainer {
  /**
   * Runs one optimisation step on `batch` and reports it (reads the device once, awaited). A batch.x0
   * holding NaN or ±Infinity rejects with a `LossConfigError` and leaves the trainer as it was. Until
   * it settles, every other call on the trainer throws a `TrainerBusyError`.
   */
  step(batch: LossBatch): Promise<StepResult>;
  /** Steps taken so far (skipped ones included). */
  readonly stepCount: number;
  /** The EMA weights by EMA name and parameter name (the trainer's own tensors: do not dispose). */
  readonly emas: Readonly<Record<string, Readonly<Record<string, tf.Variable>>>>;
  /** A copy of the optimizer, EMA, step counter and Rng state (read with awaited reads). */
  exportState(): Promise<TrainerState>;
  /** Replaces this trainer's state by an exported one (weights excepted: assign `params` yourself). */
  importState(state: TrainerState): void;
  /** Frees the optimizer's and EMAs' tensors. */
  dispose(): void;
}

/**
 * The global L2 norm √Σ‖g_i‖² of a set of gradients, as a scalar tensor. The per-tensor sums are
 * stacked, not `addN`ed: tfjs-backend-webgpu 4.22 binds every AddN input to one shader, and a network's
 * few hundred gradients exceed the device's storage-buffer limit (its Concat splits, its AddN fails).
 */
export function globalNorm(grads: readonly Tensor[]): Tensor {
  return tf.tidy(() => tf.sqrt(tf.sum(tf.stack(grads.map((g) => tf.sum(tf.square(g)))))));
}

/** Creates a trainer that runs `loss` on `student` with the given optimizer, clipping, schedule and EMAs. */
export function createTrainer(options: TrainerOptions): Trainer {
  const { student, loss, gradientClip, emas: emaConfigs = {}, timeBins = 8 } = options;
  const { onNonFinite = "throw", seed = 0, learningRate = 1e-4 } = options;
  for (const [name, p] of Object.entries(options.params)) {
    if (!(p instanceof tf.Variable) || p.dtype !== "float32") {
      throw new LossConfigError(`params.${name}`, String(p), "a float32 tf.Variable");
    }
  }
  const params = Object.fromEntries(Object.entries(options.params).filter(([, p]) => p.trainable));
  if (Object.keys(params).length === 0) {
    throw new LossConfigError("params", "without a trainable variable", "at least one trainable tf.Variable");
  }
  if (gradientClip !== undefined && !(gradientClip > 0)) {
    throw new LossConfigError("gradientClip", gradientClip, "a global norm > 0, or absent for no clipping");
  }
  if (onNonFinite !== "skip" && onNonFinite !== "throw") {
    throw new LossConfigError("onNonFinite", JSON.stringify(onNonFinite), `"skip" or "throw"`);
  }
  if (!(Number.isInteger(timeBins) && timeBins >= 1))
    throw new LossConfigError("timeBins", timeBins, "an integer ≥ 1");
  checkLearningRate(learningRate);
  for (const [name, c] of Object.entries(emaConfigs)) checkEma(c, `emas.${name}`);

  const optimizer = new AdamFamily(params, options.optimizer ?? { kind: "radam" });
  const emas: Record<string, Record<string, tf.Variable>> = {};
  for (const name of Object.keys(emaConfigs)) {
    emas[name] = Object.fromEntries(
      Object.entries(params).map(([k, p]) => [k, tf.tidy(() => tf.variable(p.clone(), false))]),
    );
  }
  const byVariableName = new Map(Object.entries(params).map(([k, p]) => [p.name, k]));
  const varList = Object.values(params);
  let rng = Rng.seeded(seed);
  let stepCount = 0;
  let images = 0;
  let skipped = 0;

  let inFlight: number | undefined; // the index of the step being run, while one is

  /** Refuses `call` while a step is in flight: its Rng fork and its update are not yet settled. */
  function checkIdle(call: string): void {
    if (inFlight !== undefined) throw new TrainerBusyError(call, inFlight);
  }

  /**
   * One step. It reads the device once (loss and ‖g‖ decide on skipping and clipping; whether batch.x0
   * holds NaN/±Infinity, which the losses no longer read, and the per-sample diagnostics ride along)
   * and awaits that read. A non-finite x0 throws whatever the policy: it is the caller's input, not a
   * training blow-up to skip. Tensors live across the await only in `device`, freed on every exit; an
   * error (its own, or the read's) restores the Rng, so a failed step leaves the trainer as it was.
   */
  async function runStep(batch: LossBatch): Promise<StepResult> {
    const index = stepCount;
    const rngBefore = rng.state();
    const stepRng = rng.fork(); // every draw of this step
    const lr = learningRateAt(learningRate, index);
    const B = batch.x0.shape[0]!;
    let warmup = Number.NaN;
    let device: { grads: Record<string, Tensor>; readback: Tensor } | undefined;
    try {
      // The JVP pass (in `loss`) and the gradient pass draw the same dropout masks: drawn once.
      device = withSharedDropoutMasks(() =>
        tf.tidy(() => {
          let kept: ObjectiveOutput | undefined;
          try {
            const prepared = loss(student, batch, { rng: stepRng, step: index });
            warmup = prepared.warmup ?? Number.NaN;
            const { value, grads: byVarName } = tf.variableGrads(() => {
              const out = prepared.objective();
              kept = { perSample: tf.keep(out.perSample), logvar: tf.keep(out.logvar) };
              return tf.mean(out.perSample) as tf.Scalar;
            }, varList);
            const grads: Record<string, Tensor> = {};
            for (const [varName, g] of Object.entries(byVarName)) grads[byVariableName.get(varName)!] = g;
            const norm = globalNorm(Object.values(grads));
            const x0NonFinite = tf.cast(tf.any(tf.logicalNot(tf.isFinite(batch.x0))), "float32"); // 1 or 0
            const readback = tf.concat([
              tf.stack([value, norm, x0NonFinite]), // [3]
              kept!.perSample, // [B]
              kept!.logvar, // [B]
              prepared.t, // [B]
              prepared.tangentNorm ?? tf.fill([B], Number.NaN), // [B]
            ]);
            return { grads, readback };
          } finally {
            if (kept !== undefined) tf.dispose([kept.perSample, kept.logvar]);
          }
        }),
      );
      const read = (await device.readback.data()) as Float32Array;
      const [lossValue, gradNorm] = [read[0]!, read[1]!];
      if (read[2] !== 0) {
        const what = `a ${batch.x0.dtype} ${formatShape(batch.x0.shape)} tensor holding NaN or ±Infinity`;
        throw new LossConfigError("batch.x0", what, "finite numbers (the step was not applied)");
      }
      const finite = Number.isFinite(lossValue) && Number.isFinite(gradNorm);
      if (!finite && onNonFinite === "throw") throw new NonFiniteError(index, lossValue, gradNorm);
      if (finite) {
        const { grads } = device;
        tf.tidy(() => {
          let applied = grads;
          if (gradientClip !== undefined && gradNorm > gradientClip) {
            // torch.nn.utils.clip_grad_norm_: scale by max_norm/(norm + 1e-6).
            const scale = gradientClip / (gradNorm + 1e-6);
            applied = Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, scale)]));
          }
          optimizer.apply(applied, lr);
          for (const [name, config] of Object.entries(emaConfigs)) {
            updateEma(emas[name]!, params, emaBeta(config, images, B));
          }
        });
        images += B;
      } else {
        skipped += 1;
      }
      const [perSample, logvar, t, gNorm] = [0, 1, 2, 3].map((k) =>
        read.subarray(3 + k * B, 3 + (k + 1) * B),
      );
      stepCount += 1;
      return {
        step: index,
        loss: lossValue,
        tangentNorm: mean(gNorm!),
        wPhi: -mean(logvar!),
        gradNorm,
        learningRate: lr,
        warmup,
        lossByTime: lossByTimeBin(t!, perSample!, timeBins),
        skipped: !finite,
      };
    } catch (error) {
      rng = Rng.fromState(rngBefore); // a failed step leaves the trainer as it was
      throw error;
    } finally {
      if (device !== undefined) tf.dispose([...Object.values(device.grads), device.readback]);
    }
  }

  async function step(batch: LossBatch): Promise<StepResult> {
    checkIdle("step"); // in an async function: a busy trainer rejects, like every other failure
    inFlight = stepCount;
    try {
      return await runStep(batch);
    } finally {
      inFlight = undefined;
    }
  }

  function stateTensors(): Record<string, tf.Variable> {
    const out: Record<string, tf.Variable> = {};
    for (const k of Object.keys(params)) {
      out[`optimizer.m.${k}`] = optimizer.m[k]!;
      out[`optimizer.v.${k}`] = optimizer.v[k]!;
    }
    for (const [name, set] of Object.entries(emas))
      for (const [k, e] of Object.entries(set)) out[`ema.${name}.${k}`] = e;
    return out;
  }

  return {
    step,
    get stepCount() {
      return stepCount;
    },
    emas,
    async exportState(): Promise<TrainerState> {
      checkIdle("exportState");
      const meta = {
        version: 1 as const,
        step: stepCount,
        images,
        skipped,
        rng: rng.state(),
        optimizer: { kind: optimizer.config.kind, step: optimizer.stepCount },
      };
      // Copies first (a step may not change them while the reads are awaited), then every read at once.
      const entries = Object.entries(stateTensors()).map(([name, v]) => [name, v.clone()] as const);
      try {
        const data = await Promise.all(entries.map(([, c]) => c.data() as Promise<Float32Array>));
        const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
        entries.forEach(([name, c], i) => {
          tensors[name] = { shape: [...c.shape], data: Float32Array.from(data[i]!) };
        });
        return { meta, tensors };
      } finally {
        tf.dispose(entries.map(([, c]) => c));
      }
    },
    importState(state: TrainerState): void {
      checkIdle("importState");
      const { meta, tensors } = state;
      if (meta?.version !== 1) throw new TrainerStateError("meta.version", String(meta?.version), "1");
      if (meta.optimizer.kind !== optimizer.config.kind) {
        throw new TrainerStateError("optimizer kind", meta.optimizer.kind, optimizer.config.kind);
      }
      const targets = stateTensors();
      for (const [name, v] of Object.entries(targets)) {
        const saved = tensors[name];
        if (saved === undefined)
          throw new TrainerStateError(`tensors["${name}"]`, "absent", `shape [${v.shape}]`);
        if (saved.shape.join() !== v.shape.join() || saved.data.length !== v.size) {
          throw new TrainerStateError(`tensors["${name}"]`, `shape [${saved.shape}]`, `shape [${v.shape}]`);
        }
      }
      const newRng = Rng.fromState(meta.rng);
      tf.tidy(() => {
        for (const [name, v] of Object.entries(targets))
          v.assign(tf.tensor(tensors[name]!.data, v.shape, "float32"));
      });
      rng = newRng;
      stepCount = meta.step;
      images = meta.images;
      skipped = meta.skipped;
      optimizer.stepCount = meta.optimizer.step;
    },
    dispose(): void {
      checkIdle("dispose");
      optimizer.dispose();
      for (const set of Object.values(emas)) tf.dispose(Object.values(set));
    },
  };
}
