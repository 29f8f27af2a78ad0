// Adaptive normalisation of features by the conditioning embedding (paper §4.1; docs/math.md §3):
// AdaGN y = norm(x)⊙s(t) + b(t) becomes the adaptive double normalisation
// y = norm(x)⊙pnorm(s(t)) + pnorm(b(t)), pnorm(v) = v/√(mean_c(v²) + ε) over the feature axis of the
// modulation vector (not of x). GroupNorm normalises conv features, LayerNorm tokens; neither has an
// affine of its own here, the modulation is its affine.
import type { Tensor } from "@scm/backend";
import { groupNorm, layerNorm, pixelNorm, scaleShift, split } from "@scm/jvp";
import type { ConditioningConfig } from "./config.js";
import type { Layer, ParamScope } from "./layer.js";
import { groupsFor, linear } from "./layers.js";
import type { Params } from "./params.js";

/** How the modulation is applied: the paper's double normalisation or plain AdaGN (ablation). */
export type Modulation = ConditioningConfig["modulation"];

/** ε of pnorm (PixelNorm's usual 1e-8): negligible against mean(v²) ~ 1 at the default init. */
export const pnormEps = 1e-8;

/** (scale, shift) [B, C] each from emb [B, E]. */
export type ModulationLayer = (p: Params, emb: Tensor) => [Tensor, Tensor];

/**
 * The modulation projection of `scope` (emb [B, E] → (s, b) [B, 2C], normal init: pnorm needs v ≠ 0):
 * the (scale, shift) pair [B, C] each, pixel-normalised under "double" (§4.1: pnorm(s(t)), pnorm(b(t))),
 * raw under "adagn".
 */
export function modulation(
  scope: ParamScope,
  embChannels: number,
  c: number,
  mode: Modulation,
): ModulationLayer {
  const projection = linear(scope, embChannels, 2 * c);
  return (p, emb) => {
    const [s, b] = split(projection(p, emb), 2, -1) as [Tensor, Tensor]; // [B, C] each
    return mode === "double" ? [pixelNorm(s, pnormEps), pixelNorm(b, pnormEps)] : [s, b];
  };
}

/**
 * norm(x)⊙scale + shift with (scale, shift) [B, C] broadcast over x's middle axes: x [B, ..., C]. One
 * @scm/jvp primitive (`scaleShift`): a fused pass where the backend has the kernel (native), the same
 * mul and add as before elsewhere.
 */
export function modulate(normalized: Tensor, scale: Tensor, shift: Tensor): Tensor {
  return scaleShift(normalized, scale, shift);
}

/**
 * `normalize(x)` modulated by `scope`'s projection of emb [B, E] (§4.1): normalize(x)⊙scale + shift, the
 * modulation computed first (as every network has always run it).
 */
function adaptiveNorm(
  scope: ParamScope,
  embChannels: number,
  c: number,
  mode: Modulation,
  normalize: (x: Tensor) => Tensor,
): Layer<[Tensor, Tensor]> {
  const scaleAndShift = modulation(scope, embChannels, c, mode);
  return (p, x, emb) => {
    const [s, b] = scaleAndShift(p, emb);
    return modulate(normalize(x), s, b);
  };
}

/** Adaptive GroupNorm of conv features x [B, H, W, C] by `scope`'s projection of emb [B, E] (§4.1). */
export function adaptiveGroupNorm(
  scope: ParamScope,
  embChannels: number,
  c: number,
  mode: Modulation,
): Layer<[Tensor, Tensor]> {
  return adaptiveNorm(scope, embChannels, c, mode, (x) => groupNorm(x, groupsFor(x.shape[3]!), 1e-6));
}

/** Adaptive LayerNorm of tokens x [B, T, C] (or [B, C]) by `scope`'s projection of emb [B, E] (§4.1). */
export function adaptiveLayerNorm(
  scope: ParamScope,
  embChannels: number,
  c: number,
  mode: Modulation,
): Layer<[Tensor, Tensor]> {
  return adaptiveNorm(scope, embChannels, c, mode, (x) => layerNorm(x, 1e-6));
}
