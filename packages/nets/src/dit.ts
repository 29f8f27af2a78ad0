// A DiT (Peebles & Xie 2023): patchify, transformer blocks with adaLN, unpatchify, with the sCM
// changes of §4.1: c_noise(t) = t with positional features, and the blocks' adaLN under adaptive
// double normalisation (scale and shift pixel-normalised; the gates stay raw). Parameter names follow
// DiT's (`blocks.0.attn.qkv.weight`); the conditioning's are shared with the other networks. Each
// layer declares its parameters where the block uses it (layer.ts).
import type { Tensor } from "@scm/backend";
import { tf } from "@scm/backend";
import { add, gelu, layerNorm, matMul, mul, pixelNorm, reshape, split, transpose } from "@scm/jvp";
import { architecture } from "./architecture.js";
import { selfAttention } from "./attention.js";
import { type ConditioningConfig, configObject, int, resolveConditioning } from "./config.js";
import { conditioning } from "./embedding.js";
import { ConfigError } from "./errors.js";
import type { ParamScope } from "./layer.js";
import { applyDropout, convParams, linear } from "./layers.js";
import { modulate, pnormEps } from "./modulation.js";
import type { BuildOptions, NetworkDefinition } from "./network-fn.js";

/** A DiT's config: square images of `resolution`² × `channels` in patches of `patchSize`². */
export interface DiTConfig extends ConditioningConfig {
  readonly kind: "dit";
  /** Image height = width; a multiple of patchSize. */
  readonly resolution: number;
  /** Image channels (input = output). */
  readonly channels: number;
  /** Patch side p: (resolution/p)² tokens. */
  readonly patchSize: number;
  /** Token width D; also the time-feature and embedding width. A multiple of 4 and of heads. */
  readonly hiddenSize: number;
  /** Transformer blocks. */
  readonly depth: number;
  /** Attention heads. */
  readonly heads: number;
  /** MLP hidden width = mlpRatio·D. */
  readonly mlpRatio: number;
}

const ditKeys = ["resolution", "channels", "patchSize", "hiddenSize", "depth", "heads", "mlpRatio"];

/** Validates a DiT config (JSON in), filling defaults (mlpRatio 4, conditioning). */
export function resolveDiTConfig(input: unknown): DiTConfig {
  const obj = configObject(input, "dit", ditKeys, { mlpRatio: 4 });
  const resolution = int(obj, "resolution", 1);
  const patchSize = int(obj, "patchSize", 1);
  if (resolution % patchSize !== 0) {
    throw new ConfigError("resolution", String(resolution), `a multiple of patchSize ${patchSize}`);
  }
  const heads = int(obj, "heads", 1);
  const hiddenSize = int(obj, "hiddenSize", 4);
  if (hiddenSize % 4 !== 0 || hiddenSize % heads !== 0) {
    throw new ConfigError("hiddenSize", String(hiddenSize), `a multiple of 4 and of heads (${heads})`);
  }
  return {
    kind: "dit",
    resolution,
    channels: int(obj, "channels", 1),
    patchSize,
    hiddenSize,
    depth: int(obj, "depth", 1),
    heads,
    mlpRatio: int(obj, "mlpRatio", 1),
    ...resolveConditioning(obj),
  };
}

/** DiT's fixed 2-D sin-cos position embedding (MAE's get_2d_sincos_pos_embed), [g·g, D] row-major. */
export function positionEmbedding2d(g: number, d: number): Float32Array {
  const out = new Float32Array(g * g * d);
  const quarter = d / 4;
  for (let i = 0; i < g; i++) {
    for (let j = 0; j < g; j++) {
      const row = (i * g + j) * d;
      for (let k = 0; k < quarter; k++) {
        const omega = 1 / 10000 ** (k / quarter);
        // First half: the column index j; second half: the row index i.
        out[row + k] = Math.sin(j * omega);
        out[row + quarter + k] = Math.cos(j * omega);
        out[row + 2 * quarter + k] = Math.sin(i * omega);
        out[row + 3 * quarter + k] = Math.cos(i * omega);
      }
    }
  }
  return out;
}

/** (shift, scale) pixel-normalised under "double" (§4.1), raw under "adagn"; [B, D] each. */
function normalizePair(cfg: DiTConfig, shift: Tensor, scale: Tensor): [Tensor, Tensor] {
  if (cfg.modulation === "adagn") return [shift, scale];
  return [pixelNorm(shift, pnormEps), pixelNorm(scale, pnormEps)];
}

/** x [B, T, D] + gate [B, D] ⊙ y [B, T, D] (adaLN's gated residual). */
function gated(x: Tensor, gate: Tensor, y: Tensor): Tensor {
  return add(x, mul(reshape(gate, [gate.shape[0]!, 1, -1]), y));
}

/** The DiT's layers declared in `scope` (conditioning, patch embedding, blocks, final layer). */
function defineDiT(cfg: DiTConfig, scope: ParamScope, options: BuildOptions): NetworkDefinition {
  const { resolution: r, patchSize: p, hiddenSize: d, channels: c } = cfg;
  const g = r / p;
  const pos = positionEmbedding2d(g, d);
  const attention = options.attention ?? {};
  const cond = conditioning(scope, cfg, d, d);
  const patch = convParams(scope.child("x_embedder.proj"), c, d, p); // patchify: a p×p conv of stride p
  const blocks = Array.from({ length: cfg.depth }, (_, i) => {
    const b = scope.child(`blocks.${i}`);
    return {
      adaLN: linear(b.child("adaLN_modulation"), d, 6 * d), // normal init: pnorm needs a non-zero input
      attn: selfAttention(b.child("attn"), d, cfg.heads, attention),
      fc1: linear(b.child("mlp.fc1"), d, cfg.mlpRatio * d),
      fc2: linear(b.child("mlp.fc2"), cfg.mlpRatio * d, d, { zeroInit: true }),
    };
  });
  const finalAdaLN = linear(scope.child("final_layer.adaLN_modulation"), d, 2 * d);
  const finalLinear = linear(scope.child("final_layer.linear"), d, p * p * c, { zeroInit: true });
  return {
    sample: [r, r, c],
    conditioning: cond,
    body: (params, x, emb, drop) => {
      const b = x.shape[0]!;
      // Patchify: the p×p, stride-p conv as a matMul of each patch's (i, j, c) values with the filter.
      const patchesIn = reshape(transpose(reshape(x, [b, g, p, g, p, c]), [0, 1, 3, 2, 4, 5]), [
        b * g * g,
        p * p * c,
      ]);
      const w = reshape(patch.weight(params), [p * p * c, d]);
      let h = add(matMul(patchesIn, w), patch.bias!(params)); // [B·T, D]
      h = add(reshape(h, [b, g * g, d]), tf.tensor(pos, [1, g * g, d])); // + fixed 2-D sin-cos positions
      for (const block of blocks) {
        const [sh1, sc1, g1, sh2, sc2, g2] = split(block.adaLN(params, emb), 6, -1) as Tensor[];
        const [shift1, scale1] = normalizePair(cfg, sh1!, sc1!);
        const a = modulate(layerNorm(h, 1e-6), scale1, shift1); // §4.1 on tokens
        h = gated(h, g1!, block.attn(params, a));
        const [shift2, scale2] = normalizePair(cfg, sh2!, sc2!);
        let m = gelu(block.fc1(params, modulate(layerNorm(h, 1e-6), scale2, shift2))); // [B, T, rD]
        m = block.fc2(params, applyDropout(drop, m));
        h = gated(h, g2!, m); // [B, T, D]
      }
      const [sh, sc] = split(finalAdaLN(params, emb), 2, -1) as [Tensor, Tensor];
      const [shift, scale] = normalizePair(cfg, sh, sc);
      const out = finalLinear(params, modulate(layerNorm(h, 1e-6), scale, shift)); // [B, T, p²C]
      const patches = transpose(reshape(out, [b, g, g, p, p, c]), [0, 1, 3, 2, 4, 5]); // [B, g, p, g, p, C]
      return reshape(patches, [b, r, r, c]);
    },
  };
}

/** The DiT architecture (`kind: "dit"`). */
export const ditArchitecture = architecture({ kind: "dit", resolve: resolveDiTConfig, define: defineDiT });

/** Fresh DiT parameters for `config`, deterministic per seed. */
export const initDiT = ditArchitecture.init;

/** The DiT as a `NetworkFn`: x_t/σ_d [B, R, R, C], t [B] → { F [B, R, R, C], logvar [B] }. */
export const dit = ditArchitecture.network;
