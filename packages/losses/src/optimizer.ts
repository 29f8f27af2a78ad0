// Adam (Kingma & Ba 2015) and RAdam (Liu et al. 2020) over named tf.Variables, written out so their
// state (m, v and the step count) exports and imports exactly. Formulas as PyTorch's torch.optim
// (the paper's reference framework), no weight decay. App. G: β = (0.9, 0.99); ε = 1e-8 (RAdam,
// CIFAR-10) or 1e-11 (Adam, ImageNet). One step count for all parameters: a parameter without a
// gradient in a step is left as is (moments included), as PyTorch skips parameters whose grad is None.
import { fusedAdamStep, type Tensor, tf } from "@scm/backend";
import { LossConfigError } from "./errors.js";

/** Which optimizer and its constants; unset constants take App. G's values. */
export interface OptimizerConfig {
  readonly kind: "adam" | "radam";
  /** β₁ (default 0.9). */
  readonly beta1?: number;
  /** β₂ (default 0.99, App. G). */
  readonly beta2?: number;
  /** ε (default 1e-11 for Adam, the ImageNet config; 1e-8 for RAdam, the CIFAR-10 config). */
  readonly epsilon?: number;
}

/** An optimizer config with every constant filled in. */
export type ResolvedOptimizerConfig = Required<OptimizerConfig>;

/** Fills in App. G's defaults and checks the constants. */
export function resolveOptimizer(config: OptimizerConfig): ResolvedOptimizerConfig {
  const { kind, beta1 = 0.9, beta2 = 0.99 } = config;
  if (kind !== "adam" && kind !== "radam")
    throw new LossConfigError("optimizer.kind", JSON.stringify(kind), `"adam" or "radam"`);
  const epsilon = config.epsilon ?? (kind === "adam" ? 1e-11 : 1e-8);
  for (const [name, v] of [
    ["optimizer.beta1", beta1],
    ["optimizer.beta2", beta2],
  ] as const) {
    if (!(v >= 0 && v < 1)) throw new LossConfigError(name, v, "a number in [0, 1)");
  }
  if (!(epsilon > 0 && Number.isFinite(epsilon))) {
    throw new LossConfigError("optimizer.epsilon", epsilon, "a finite number > 0");
  }
  return { kind, beta1, beta2, epsilon };
}

/** Adam / RAdam with first and second moments per named parameter. */
export class AdamFamily {
  /** The resolved constants. */
  readonly config: ResolvedOptimizerConfig;
  /** Steps taken (t in the bias corrections). */
  stepCount = 0;
  /** First moments m, by parameter name. */
  readonly m: Record<string, tf.Variable> = {};
  /** Second moments v, by parameter name. */
  readonly v: Record<string, tf.Variable> = {};

  constructor(
    private readonly params: Readonly<Record<string, tf.Variable>>,
    config: OptimizerConfig,
  ) {
    this.config = resolveOptimizer(config);
    for (const [name, p] of Object.entries(params)) {
      this.m[name] = tf.tidy(() => tf.variable(tf.zerosLike(p), false));
      this.v[name] = tf.tidy(() => tf.variable(tf.zerosLike(p), false));
    }
  }

  /** One update with learning rate `lr` from `grads` (by parameter name); call inside `tf.tidy`. */
  apply(grads: Readonly<Record<string, Tensor>>, lr: number): void {
    const { kind, beta1, beta2, epsilon } = this.config;
    const t = ++this.stepCount;
    const bc1 = 1 - beta1 ** t;
    const bc2 = 1 - beta2 ** t;
    // RAdam's variance rectification (Liu et al. 2020, Alg. 2): on when ρ_t > 5.
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * t * beta2 ** t) / bc2;
    const rect =
      kind === "radam" && rhoT > 5
        ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT))
        : 1;
    // θ ← θ − update, by one of three rules (the step size folds lr, the bias corrections and rect).
    const mode = kind === "adam" ? "adam" : rhoT > 5 ? "radam-rectified" : "radam-unadapted";
    const step = mode === "radam-rectified" ? (lr * rect * Math.sqrt(bc2)) / bc1 : lr / bc1;
    const coefficients = { mode, beta1, beta2, step, sqrtBc2: Math.sqrt(bc2), epsilon } as const;
    for (const [name, p] of Object.entries(this.params)) {
      const g = grads[name];
      if (g === undefined) continue;
      const [m, v] = [this.m[name]!, this.v[name]!];
      // The native backend's one-pass kernel: the ops below, rounded alike, bit for bit.
      const fused = fusedAdamStep(p, m, v, g, coefficients);
      if (fused !== undefined) {
        m.assign(fused.m);
        v.assign(fused.v);
        p.assign(fused.p);
        continue;
      }
      m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1))); // m ← β₁m + (1 − β₁)g
      v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2))); // v ← β₂v + (1 − β₂)g²
      const update =
        mode === "adam"
          ? tf.div(tf.mul(m, step), tf.add(tf.div(tf.sqrt(v), Math.sqrt(bc2)), epsilon)) // (lr/bc₁)·m/(√v/√bc₂ + ε)
          : mode === "radam-rectified"
            ? tf.div(tf.mul(m, step), tf.add(tf.sqrt(v), epsilon)) // lr·(m/bc₁)·rect·√bc₂/(√v + ε)
            : tf.mul(m, step); // lr·m/bc₁ (un-adapted while ρ_t ≤ 5)
      p.assign(tf.sub(p, update));
    }
  }

  /** Frees the moment variables. */
  dispose(): void {
    tf.dispose([...Object.values(this.m), ...Object.values(this.v)]);
  }
}
