// Exponential moving averages of the weights (App. G), counted in images as EDM/EDM2 do:
// - half-life (EDM, CIFAR-10: 0.5 Mimg): β = 0.5^(B/h), h = min(halfLife, images·rampupRatio) when a
//   ramp-up is set, `images` counting the images before this step;
// - EDM2's power function EMA with relative width σ_rel (ImageNet sampling: 0.05):
//   β = (1 − B/images)^(γ+1), `images` counting this step's too, γ solving
//   σ_rel = √((γ+1)/((γ+2)²(γ+3))) (Karras et al. 2024, Eq. 3).
// Update: ema ← β·ema + (1 − β)·θ. The first step of the power EMA (β = 0) copies θ.
import { type Tensor, tf } from "@scm/backend";
import { LossConfigError } from "./errors.js";

/** One EMA of the weights. */
export type EmaConfig =
  | { readonly kind: "halfLife"; readonly halfLifeImages: number; readonly rampupRatio?: number | undefined }
  | { readonly kind: "power"; readonly sigmaRel: number };

/** The relative width σ_rel of EDM2's power EMA with exponent γ: √((γ+1)/((γ+2)²(γ+3))). */
export function gammaToSigmaRel(gamma: number): number {
  return Math.sqrt((gamma + 1) / ((gamma + 2) ** 2 * (gamma + 3)));
}

/**
 * γ for a given σ_rel: the largest real root of γ³ + 7γ² + (16 − σ_rel⁻²)γ + (12 − σ_rel⁻²) = 0
 * (EDM2's `sigma_rel_to_gamma`), found by bisection; σ_rel must lie in (0, √(1/12)) so that γ > 0.
 */
export function sigmaRelToGamma(sigmaRel: number): number {
  if (!(sigmaRel > 0 && sigmaRel < Math.sqrt(1 / 12))) {
    throw new LossConfigError("sigmaRel", sigmaRel, "a number in (0, 0.2887), so that γ > 0");
  }
  const t = sigmaRel ** -2;
  const f = (g: number) => ((g + 7) * g + 16 - t) * g + 12 - t;
  let [lo, hi] = [0, t]; // f(0) = 12 − t < 0 < f(t)
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Checks an EMA config. */
export function checkEma(config: EmaConfig, name: string): void {
  if (config.kind === "halfLife") {
    if (!(config.halfLifeImages > 0 && Number.isFinite(config.halfLifeImages))) {
      throw new LossConfigError(
        `${name}.halfLifeImages`,
        config.halfLifeImages,
        "a finite number of images > 0",
      );
    }
    const r = config.rampupRatio;
    if (r !== undefined && !(r > 0 && Number.isFinite(r))) {
      throw new LossConfigError(`${name}.rampupRatio`, r, "a finite number > 0, or absent for no ramp-up");
    }
  } else if (config.kind === "power") {
    sigmaRelToGamma(config.sigmaRel);
  } else {
    throw new LossConfigError(
      `${name}.kind`,
      JSON.stringify((config as { kind: unknown }).kind),
      `"halfLife" or "power"`,
    );
  }
}

/** The EMA decay β of a step of `batchSize` images, `imagesBefore` images having been seen before it. */
export function emaBeta(config: EmaConfig, imagesBefore: number, batchSize: number): number {
  if (config.kind === "halfLife") {
    let h = config.halfLifeImages;
    if (config.rampupRatio !== undefined) h = Math.min(h, imagesBefore * config.rampupRatio);
    return 0.5 ** (batchSize / Math.max(h, 1e-8)); // EDM: β = 0.5^(B/h)
  }
  const gamma = sigmaRelToGamma(config.sigmaRel);
  return (1 - batchSize / (imagesBefore + batchSize)) ** (gamma + 1); // EDM2: β = (1 − B/t)^(γ+1)
}

/** Moves each `ema[name]` toward `params[name]`: ema ← β·ema + (1 − β)·θ. Call inside `tf.tidy`. */
export function updateEma(
  ema: Readonly<Record<string, tf.Variable>>,
  params: Readonly<Record<string, Tensor>>,
  beta: number,
): void {
  for (const [name, e] of Object.entries(ema)) {
    e.assign(tf.add(tf.mul(e, beta), tf.mul(params[name]!, 1 - beta)));
  }
}
