// The conditioning of every network (paper §4.1, §4.2; docs/math.md §2–3): time features of
// c_noise(t) = t, plus a class-label embedding (with a null label) and a guidance-scale embedding,
// through EDM's two-layer mapping MLP; and the adaptive-weighting head w_φ(t) (logvar).
//
// Positional features: [cos(ω_k t), sin(ω_k t)] with ω_k = 10000^(−k/(N/2)), k = 0 … N/2 − 1 (EDM's
// PositionalEmbedding, applied to t itself). Every ω_k ≤ 1, so over t ∈ [0, π/2] the fastest channel
// turns at most a quarter period: each feature is monotone in t (no aliasing) and |∂feature/∂t| ≤ 1,
// which keeps the JVP's time tangent bounded (§4.1; the paper calls this equivalent to Fourier
// features of scale ≈ 0.02). The Fourier ablation uses [cos(2πf t), sin(2πf t)], f ~ N(0, scale²).
import type { Tensor } from "@scm/backend";
import { tf } from "@scm/backend";
import { add, concat, cos, matMul, mul, reshape, silu, sin } from "@scm/jvp";
import type { ConditioningConfig } from "./config.js";
import type { ParamScope } from "./layer.js";
import { linear } from "./layers.js";
import type { Params } from "./params.js";

/** The positional frequencies ω_k = 10000^(−k/(N/2)), k = 0 … N/2 − 1 (EDM, endpoint excluded). */
export function positionalFrequencies(n: number): Float32Array {
  const half = n / 2;
  return Float32Array.from({ length: half }, (_, k) => (1 / 10000) ** (k / half));
}

/** [cos(ω·v), sin(ω·v)] of v [B] for angular frequencies ω [N/2]: → [B, N]. */
function sinusoids(v: Tensor, omega: Tensor): Tensor {
  const angle = mul(reshape(v, [-1, 1]), reshape(omega, [1, -1])); // [B, N/2]
  return concat([cos(angle), sin(angle)], 1); // [B, N]
}

/** Positional features of v [B] (t, or the guidance scale): → [B, N]. */
export function positionalEmbedding(v: Tensor, n: number): Tensor {
  return sinusoids(v, tf.tensor1d(positionalFrequencies(n)));
}

/** Time features of c_noise(t) = t (§4.1): t [B] → [B, N]. */
export type TimeFeatures = (p: Params, t: Tensor) => Tensor;

/**
 * Time features of width N, positional or Fourier per the config; Fourier declares its fixed
 * (non-trainable) frequencies `map_noise.freqs` [N/2] ~ N(0, fourierScale²) in `scope`.
 */
export function timeFeatures(scope: ParamScope, cfg: ConditioningConfig, n: number): TimeFeatures {
  if (cfg.timeEmbedding === "positional") return (_p, t) => positionalEmbedding(t, n);
  const freqs = scope.declare("map_noise.freqs", {
    shape: [n / 2],
    init: { kind: "normal", std: cfg.fourierScale },
    trainable: false,
  });
  return (p, t) => sinusoids(t, mul(freqs(p), 2 * Math.PI)); // EDM's FourierEmbedding
}

/** What the conditioning yields: the embedding that modulates every block, and w_φ(t). */
export interface Conditioning {
  /** silu(map_layer1(silu(map_layer0(features)))), [B, E] (EDM's mapping network). */
  readonly emb: Tensor;
  /** The adaptive weight w_φ(t), [B] (§4.2). */
  readonly logvar: Tensor;
}

/**
 * One call's conditioning: t [B], label int32 [B] (absent = the null label numClasses), guidance
 * float32 [B] (required iff guidanceEmbedding) → emb [B, E] and logvar [B].
 */
export type ConditioningLayer = (
  p: Params,
  t: Tensor,
  label: Tensor | undefined,
  guidance: Tensor | undefined,
) => Conditioning;

/**
 * The conditioning for time-feature width N and embedding width E: time features (+ label row, +
 * guidance embedding, each ADDED before the mapping MLP, §4.2) → emb; logvar = logvar_linear(time
 * features). Declares `map_noise.freqs` (Fourier only), `map_label.weight` [numClasses + 1, N] (row
 * numClasses = the null label, N(0, 1) as torch.nn.Embedding), `map_guidance` N → N (zero-initialised:
 * a fresh guidance embedding leaves a teacher's output unchanged), `map_layer0` N → E, `map_layer1`
 * E → E, and `logvar_linear` N → 1 (zero-initialised, so w_φ(t) = 0 at init, §4.2).
 */
export function conditioning(
  scope: ParamScope,
  cfg: ConditioningConfig,
  n: number,
  e: number,
): ConditioningLayer {
  const features = timeFeatures(scope, cfg, n);
  const labelTable =
    cfg.numClasses > 0
      ? scope.declare("map_label.weight", {
          shape: [cfg.numClasses + 1, n],
          init: { kind: "normal", std: 1 },
          trainable: true,
        })
      : undefined;
  const guidanceMap = cfg.guidanceEmbedding
    ? linear(scope.child("map_guidance"), n, n, { zeroInit: true })
    : undefined;
  const layer0 = linear(scope.child("map_layer0"), n, e);
  const layer1 = linear(scope.child("map_layer1"), e, e);
  const logvarHead = linear(scope.child("logvar_linear"), n, 1, { zeroInit: true });
  return (p, t, label, guidance) => {
    const b = t.shape[0]!;
    const f = features(p, t); // [B, N]
    const logvar = reshape(logvarHead(p, f), [b]); // [B]
    let c = f;
    if (labelTable !== undefined) {
      // One-hot · table (EDM's map_label) rather than a gather: labels carry no tangent, and the
      // gradient is a matMul on every backend (gather's needs UnsortedSegmentSum, absent from wasm).
      const labels = label ?? tf.fill([b], cfg.numClasses, "int32"); // [B]
      const oneHot = tf.cast(tf.oneHot(labels, cfg.numClasses + 1), "float32"); // [B, K + 1]
      c = add(c, matMul(oneHot, labelTable(p))); // [B, N]
    }
    if (guidanceMap !== undefined && guidance !== undefined) {
      c = add(c, guidanceMap(p, positionalEmbedding(guidance, n))); // positional + linear (§4.2)
    }
    const emb = silu(layer1(p, silu(layer0(p, c)))); // [B, E]
    return { emb, logvar };
  };
}
