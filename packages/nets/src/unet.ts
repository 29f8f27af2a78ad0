// A DDPM++/EDM-style U-Net (EDM's SongUNet with the standard encoder/decoder, resample filter [1, 1]),
// with the sCM changes of §4.1: c_noise(t) = t with positional features, adaptive double
// normalisation in every residual block, GroupNorm only, and the w_φ(t) head. Parameter names follow
// EDM's (`enc.32x32_block0.conv0.weight`); layouts are tfjs's (layers.ts). Each layer declares its
// parameters where the block uses it (layer.ts), so the spec and the forward pass are one definition.
import type { Tensor } from "@scm/backend";
import type { AttentionOptions } from "@scm/jvp";
import { add, concat, mul, reshape, silu } from "@scm/jvp";
import { architecture } from "./architecture.js";
import { selfAttention } from "./attention.js";
import {
  type ConditioningConfig,
  configObject,
  evenInt,
  int,
  intList,
  resolveConditioning,
} from "./config.js";
import { conditioning } from "./embedding.js";
import { ConfigError } from "./errors.js";
import type { ParamScope } from "./layer.js";
import { applyDropout, conv, type DropoutState, downsample, groupNormAffine, upsample } from "./layers.js";
import { adaptiveGroupNorm } from "./modulation.js";
import type { BuildOptions, NetworkDefinition } from "./network-fn.js";
import type { Params } from "./params.js";

/** A U-Net's config: square images of `resolution`² × `channels`, EDM's SongUNet hyperparameters. */
export interface UNetConfig extends ConditioningConfig {
  readonly kind: "unet";
  /** Image height = width; divisible by 2^(levels − 1). */
  readonly resolution: number;
  /** Image channels (input = output). */
  readonly channels: number;
  /** Base width; also the time-feature width N (EDM: noise channels = model channels). Even. */
  readonly modelChannels: number;
  /** Width multiplier per level; level i runs at resolution / 2^i. */
  readonly channelMult: readonly number[];
  /** Residual blocks per level in the encoder (the decoder has one more). */
  readonly numBlocks: number;
  /** Resolutions with self-attention after each block (the decoder's lowest level always has one). */
  readonly attnResolutions: readonly number[];
  /** Attention heads; divides every attention block's width. */
  readonly attentionHeads: number;
  /** Embedding width E = embMult·modelChannels (EDM's channel_mult_emb). */
  readonly embMult: number;
}

const unetKeys = [
  "resolution",
  "channels",
  "modelChannels",
  "channelMult",
  "numBlocks",
  "attnResolutions",
  "attentionHeads",
  "embMult",
];

/** Validates a U-Net config (JSON in), filling defaults (attentionHeads 1, embMult 4, conditioning). */
export function resolveUNetConfig(input: unknown): UNetConfig {
  const obj = configObject(input, "unet", unetKeys, { attentionHeads: 1, embMult: 4 });
  const channelMult = intList(obj, "channelMult", 1, 1);
  const resolution = int(obj, "resolution", 1);
  const factor = 2 ** (channelMult.length - 1);
  if (resolution % factor !== 0) {
    throw new ConfigError(
      "resolution",
      String(resolution),
      `a multiple of ${factor} for ${channelMult.length} levels`,
    );
  }
  const modelChannels = evenInt(obj, "modelChannels", 2);
  const levels = channelMult.map((_, i) => resolution >> i);
  const attnResolutions = intList(obj, "attnResolutions", 1, 0);
  attnResolutions.forEach((r, i) => {
    if (!levels.includes(r)) {
      throw new ConfigError(
        `attnResolutions[${i}]`,
        String(r),
        `one of the level resolutions ${levels.join(", ")}`,
      );
    }
  });
  const config: UNetConfig = {
    kind: "unet",
    resolution,
    channels: int(obj, "channels", 1),
    modelChannels,
    channelMult,
    numBlocks: int(obj, "numBlocks", 1),
    attnResolutions,
    attentionHeads: int(obj, "attentionHeads", 1),
    embMult: int(obj, "embMult", 1),
    ...resolveConditioning(obj),
  };
  for (const op of unetLayout(config).ops) {
    if (op.attention && op.outC % config.attentionHeads !== 0) {
      throw new ConfigError(
        "attentionHeads",
        String(config.attentionHeads),
        `a divisor of ${op.name}'s width ${op.outC}`,
      );
    }
  }
  return config;
}

/** One encoder/decoder step of the U-Net: the input conv or a residual block. */
interface UNetOp {
  readonly name: string;
  readonly kind: "conv" | "block";
  readonly inC: number;
  readonly outC: number;
  readonly resample: "none" | "down" | "up";
  readonly attention: boolean;
  /** Decoder blocks that first concatenate the matching encoder output. */
  readonly takesSkip: boolean;
  readonly encoder: boolean;
}

/** EDM SongUNet's layout (standard encoder and decoder): every op in order, and the output width. */
function unetLayout(cfg: UNetConfig): { ops: UNetOp[]; outC: number } {
  const ops: UNetOp[] = [];
  const op = (o: Partial<UNetOp> & Pick<UNetOp, "name" | "inC" | "outC">): void => {
    ops.push({ kind: "block", resample: "none", attention: false, takesSkip: false, encoder: true, ...o });
  };
  const levels = cfg.channelMult.length;
  let cout = cfg.channels;
  for (const [level, mult] of cfg.channelMult.entries()) {
    const res = cfg.resolution >> level;
    const at = `enc.${res}x${res}`;
    if (level === 0) {
      op({ name: `${at}_conv`, kind: "conv", inC: cout, outC: cfg.modelChannels });
      cout = cfg.modelChannels;
    } else op({ name: `${at}_down`, inC: cout, outC: cout, resample: "down" });
    for (let idx = 0; idx < cfg.numBlocks; idx++) {
      const outC = cfg.modelChannels * mult;
      op({ name: `${at}_block${idx}`, inC: cout, outC, attention: cfg.attnResolutions.includes(res) });
      cout = outC;
    }
  }
  const skips = ops.map((o) => o.outC);
  for (let level = levels - 1; level >= 0; level--) {
    const res = cfg.resolution >> level;
    const at = `dec.${res}x${res}`;
    if (level === levels - 1) {
      op({ name: `${at}_in0`, inC: cout, outC: cout, attention: true, encoder: false });
      op({ name: `${at}_in1`, inC: cout, outC: cout, encoder: false });
    } else op({ name: `${at}_up`, inC: cout, outC: cout, resample: "up", encoder: false });
    for (let idx = 0; idx <= cfg.numBlocks; idx++) {
      const outC = cfg.modelChannels * cfg.channelMult[level]!;
      const attention = idx === cfg.numBlocks && cfg.attnResolutions.includes(res);
      op({
        name: `${at}_block${idx}`,
        inC: cout + skips.pop()!,
        outC,
        attention,
        takesSkip: true,
        encoder: false,
      });
      cout = outC;
    }
  }
  return { ops, outC: cout };
}

const skipScale = Math.SQRT1_2; // EDM's skip_scale √½ keeps the residual sum's variance

/** One step of the U-Net's op list: x and emb → y. */
type UNetStep = (p: Params, x: Tensor, emb: Tensor, drop: DropoutState) => Tensor;

/**
 * EDM's UNetBlock with the adaptive (double) normalisation of §4.1 in place of its norm1. Parameters
 * (EDM's names): norm0, conv0, affine, conv1, skip (when the width or resolution changes), norm2, qkv, proj.
 */
function residualBlock(
  scope: ParamScope,
  cfg: UNetConfig,
  op: UNetOp,
  embChannels: number,
  attention: AttentionOptions,
): UNetStep {
  const norm0 = groupNormAffine(scope.child("norm0"), op.inC);
  const conv0 = conv(scope.child("conv0"), op.inC, op.outC, 3);
  const affine = adaptiveGroupNorm(scope.child("affine"), embChannels, op.outC, cfg.modulation);
  const conv1 = conv(scope.child("conv1"), op.outC, op.outC, 3, { zeroInit: true });
  const hasSkip = op.inC !== op.outC || op.resample !== "none";
  const skipConv = hasSkip ? conv(scope.child("skip"), op.inC, op.outC, 1) : undefined;
  const norm2 = op.attention ? groupNormAffine(scope.child("norm2"), op.outC) : undefined;
  const selfAttn = op.attention ? selfAttention(scope, op.outC, cfg.attentionHeads, attention) : undefined;
  const resample = (a: Tensor) =>
    op.resample === "down" ? downsample(a) : op.resample === "up" ? upsample(a) : a;
  return (p, x, emb, drop) => {
    let h = silu(norm0(p, x)); // [B, H, W, Cin]
    h = conv0(p, resample(h)); // [B, H', W', Cout]
    h = silu(affine(p, h, emb)); // §4.1: silu(norm(h)⊙pnorm(s) + pnorm(b))
    h = conv1(p, applyDropout(drop, h));
    let skip = resample(x);
    if (skipConv !== undefined) skip = skipConv(p, skip);
    let y = mul(add(h, skip), skipScale); // [B, H', W', Cout]
    if (norm2 !== undefined && selfAttn !== undefined) {
      const [b, hh, ww, c] = y.shape as [number, number, number, number];
      const tokens = reshape(norm2(p, y), [b, hh * ww, c]); // [B, HW, C]
      const a = reshape(selfAttn(p, tokens), [b, hh, ww, c]);
      y = mul(add(y, a), skipScale);
    }
    return y;
  };
}

/** The U-Net's layers declared in `scope` (conditioning, the op list, the output norm and conv). */
function defineUNet(cfg: UNetConfig, scope: ParamScope, options: BuildOptions): NetworkDefinition {
  const r = cfg.resolution;
  const e = cfg.embMult * cfg.modelChannels;
  const attention = options.attention ?? {};
  const cond = conditioning(scope, cfg, cfg.modelChannels, e);
  const { ops, outC } = unetLayout(cfg);
  const steps = ops.map((op): [UNetOp, UNetStep] => {
    if (op.kind === "block") return [op, residualBlock(scope.child(op.name), cfg, op, e, attention)];
    const inputConv = conv(scope.child(op.name), op.inC, op.outC, 3);
    return [op, (p, x) => inputConv(p, x)];
  });
  const out = `dec.${r}x${r}`;
  const auxNorm = groupNormAffine(scope.child(`${out}_aux_norm`), outC);
  const auxConv = conv(scope.child(`${out}_aux_conv`), outC, cfg.channels, 3, { zeroInit: true });
  return {
    sample: [r, r, cfg.channels],
    conditioning: cond,
    body: (p, x, emb, drop) => {
      const skips: Tensor[] = [];
      let h = x;
      for (const [op, step] of steps) {
        if (op.takesSkip) h = concat([h, skips.pop()!], 3); // [B, H, W, C + Cskip]
        h = step(p, h, emb, drop);
        if (op.encoder) skips.push(h);
      }
      return auxConv(p, silu(auxNorm(p, h))); // [B, R, R, C]
    },
  };
}

/** The U-Net architecture (`kind: "unet"`). */
export const unetArchitecture = architecture({
  kind: "unet",
  resolve: resolveUNetConfig,
  define: defineUNet,
});

/** Fresh U-Net parameters for `config`, deterministic per seed. */
export const initUNet = unetArchitecture.init;

/** The U-Net as a `NetworkFn`: x_t/σ_d [B, R, R, C], t [B] → { F [B, R, R, C], logvar [B] }. */
export const unet = unetArchitecture.network;
