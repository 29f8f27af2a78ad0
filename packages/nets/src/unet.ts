// A DDPM++/EDM-style U-Net (EDM's SongUNet with the standard encoder/decoder, resample filter [1, 1]),
// with the sCM changes of §4.1: c_noise(t) = t with positional features, adaptive double
// normalisation in every residual block, GroupNorm only, and the w_φ(t) head. Parameter names follow
// EDM's (`enc.32x32_block0.conv0.weight`); layouts are tfjs's (see params.ts).
import type { Tensor } from "@scm/backend";
import type { AttentionOptions } from "@scm/jvp";
import { add, concat, mul, reshape, silu } from "@scm/jvp";
import type { NetworkFn } from "@scm/trigflow";
import { attentionSpec, selfAttention } from "./attention.js";
import {
  asObject,
  type ConditioningConfig,
  checkKind,
  conditioningDefaults,
  conditioningKeys,
  int,
  intList,
  rejectUnknownKeys,
  resolveConditioning,
  withDefaults,
} from "./config.js";
import { conditioningSpec } from "./embedding.js";
import { ConfigError } from "./errors.js";
import { applyDropout, conv, type DropoutState, downsample, groupNormAffine, upsample } from "./layers.js";
import { adaptiveGroupNorm, modulationSpec } from "./modulation.js";
import { type BuildOptions, networkFn } from "./network-fn.js";
import { checkParams, convSpec, initParams, normSpec, type ParamSpec, type Params } from "./params.js";

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
  "kind",
  "resolution",
  "channels",
  "modelChannels",
  "channelMult",
  "numBlocks",
  "attnResolutions",
  "attentionHeads",
  "embMult",
  ...conditioningKeys,
];

/** Validates a U-Net config (JSON in), filling defaults (attentionHeads 1, embMult 4, conditioning). */
export function resolveUNetConfig(input: unknown): UNetConfig {
  const obj = withDefaults(asObject(input, "config"), {
    kind: "unet",
    attentionHeads: 1,
    embMult: 4,
    ...conditioningDefaults,
  });
  rejectUnknownKeys(obj, unetKeys);
  checkKind(obj, "unet");
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
  const modelChannels = int(obj, "modelChannels", 2);
  if (modelChannels % 2 !== 0)
    throw new ConfigError("modelChannels", String(modelChannels), "an even integer");
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

/** Parameters of one residual block (EDM's UNetBlock names: norm0, conv0, affine, conv1, skip, norm2, qkv, proj). */
function blockSpec(spec: ParamSpec, op: UNetOp, embChannels: number): void {
  const n = op.name;
  normSpec(spec, `${n}.norm0`, op.inC);
  convSpec(spec, `${n}.conv0`, op.inC, op.outC, 3);
  modulationSpec(spec, `${n}.affine`, embChannels, op.outC);
  convSpec(spec, `${n}.conv1`, op.outC, op.outC, 3, { zeroInit: true });
  if (op.inC !== op.outC || op.resample !== "none") convSpec(spec, `${n}.skip`, op.inC, op.outC, 1);
  if (op.attention) {
    normSpec(spec, `${n}.norm2`, op.outC);
    attentionSpec(spec, n, op.outC);
  }
}

/** Every parameter of the U-Net `config` (names, shapes, initialisers) without allocating any. */
export function unetSpec(config: UNetConfig): ParamSpec {
  const cfg = resolveUNetConfig(config);
  const spec: ParamSpec = {};
  const n = cfg.modelChannels;
  const e = cfg.embMult * cfg.modelChannels;
  conditioningSpec(spec, cfg, n, e);
  const { ops, outC } = unetLayout(cfg);
  for (const op of ops) {
    if (op.kind === "conv") convSpec(spec, op.name, op.inC, op.outC, 3);
    else blockSpec(spec, op, e);
  }
  const out = `dec.${cfg.resolution}x${cfg.resolution}`;
  normSpec(spec, `${out}_aux_norm`, outC);
  convSpec(spec, `${out}_aux_conv`, outC, cfg.channels, 3, { zeroInit: true });
  return spec;
}

/** Fresh U-Net parameters for `config`, deterministic per seed. */
export function initUNet(config: UNetConfig, seed: number): Params {
  return initParams(unetSpec(config), seed);
}

const skipScale = Math.SQRT1_2; // EDM's skip_scale √½ keeps the residual sum's variance

/** EDM's UNetBlock with the adaptive (double) normalisation of §4.1 in place of its norm1. */
function block(
  p: Params,
  cfg: UNetConfig,
  op: UNetOp,
  x: Tensor,
  emb: Tensor,
  drop: DropoutState,
  attention: AttentionOptions,
): Tensor {
  const n = op.name;
  const resample = (a: Tensor) =>
    op.resample === "down" ? downsample(a) : op.resample === "up" ? upsample(a) : a;
  let h = silu(groupNormAffine(p, `${n}.norm0`, x)); // [B, H, W, Cin]
  h = conv(p, `${n}.conv0`, resample(h)); // [B, H', W', Cout]
  h = silu(adaptiveGroupNorm(p, `${n}.affine`, h, emb, cfg.modulation)); // §4.1
  h = conv(p, `${n}.conv1`, applyDropout(drop, h));
  let skip = resample(x);
  if (p[`${n}.skip.weight`] !== undefined) skip = conv(p, `${n}.skip`, skip);
  let y = mul(add(h, skip), skipScale); // [B, H', W', Cout]
  if (op.attention) {
    const [b, hh, ww, c] = y.shape as [number, number, number, number];
    const tokens = reshape(groupNormAffine(p, `${n}.norm2`, y), [b, hh * ww, c]); // [B, HW, C]
    const a = reshape(selfAttention(p, n, tokens, cfg.attentionHeads, attention), [b, hh, ww, c]);
    y = mul(add(y, a), skipScale);
  }
  return y;
}

/** The U-Net as a `NetworkFn`: x_t/σ_d [B, R, R, C], t [B] → { F [B, R, R, C], logvar [B] }. */
export function unet(config: UNetConfig, params: Params, options: BuildOptions = {}): NetworkFn {
  const cfg = resolveUNetConfig(config);
  checkParams(unetSpec(cfg), params);
  const { ops } = unetLayout(cfg);
  const r = cfg.resolution;
  const attention = options.attention ?? {};
  return networkFn(cfg, [r, r, cfg.channels], cfg.modelChannels, params, (x, emb, drop) => {
    const skips: Tensor[] = [];
    let h = x;
    for (const op of ops) {
      if (op.takesSkip) h = concat([h, skips.pop()!], 3); // [B, H, W, C + Cskip]
      h = op.kind === "conv" ? conv(params, op.name, h) : block(params, cfg, op, h, emb, drop, attention);
      if (op.encoder) skips.push(h);
    }
    const out = `dec.${r}x${r}`;
    return conv(params, `${out}_aux_conv`, silu(groupNormAffine(params, `${out}_aux_norm`, h))); // [B, R, R, C]
  });
}
