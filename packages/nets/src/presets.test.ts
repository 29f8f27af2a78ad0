import { Rng, randomNormal, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import type { ConditioningConfig } from "./config.js";
import type { DiTConfig } from "./dit.js";
import type { MlpConfig } from "./mlp.js";
import { countParams, initNetwork, type NetworkConfig, network, paramSpec } from "./network.js";
import { disposeParams } from "./params.js";
import { presets } from "./presets.js";
import type { UNetConfig } from "./unet.js";

// Independent closed forms of the parameter counts, written from the architecture description (EDM's
// SongUNet, DiT), not from the spec builders: dense i→o has i·o + o, a k×k conv k²·i·o + o.
const dense = (i: number, o: number) => i * o + o;
const convK = (i: number, o: number, k: number) => k * k * i * o + o;

/** Conditioning: label table, guidance dense, two-layer mapping MLP, logvar head (Fourier freqs are buffers). */
function conditioningCount(c: ConditioningConfig, n: number, e: number): number {
  const label = c.numClasses > 0 ? (c.numClasses + 1) * n : 0;
  const guidance = c.guidanceEmbedding ? dense(n, n) : 0;
  return label + guidance + dense(n, e) + dense(e, e) + dense(n, 1);
}

function unetCount(c: UNetConfig): number {
  const n = c.modelChannels;
  const e = c.embMult * n;
  // norm0 (2·in), conv0, affine (e → 2·out), conv1, 1×1 skip when the width or resolution changes,
  // and attention: norm2 (2·out), qkv (out → 3·out), proj (out → out).
  const block = (i: number, o: number, resample: boolean, attn: boolean) =>
    2 * i +
    convK(i, o, 3) +
    dense(e, 2 * o) +
    convK(o, o, 3) +
    (i !== o || resample ? convK(i, o, 1) : 0) +
    (attn ? 2 * o + dense(o, 3 * o) + dense(o, o) : 0);
  const attnAt = (level: number) => c.attnResolutions.includes(c.resolution / 2 ** level);
  const levels = c.channelMult.length;
  let total = conditioningCount(c, n, n * c.embMult) + convK(c.channels, n, 3);
  const skips = [n];
  let w = n;
  c.channelMult.forEach((m, level) => {
    if (level > 0) {
      total += block(w, w, true, false);
      skips.push(w);
    }
    for (let b = 0; b < c.numBlocks; b++) {
      total += block(w, m * n, false, attnAt(level));
      w = m * n;
      skips.push(w);
    }
  });
  total += block(w, w, false, true) + block(w, w, false, false); // the bottleneck pair
  for (let level = levels - 1; level >= 0; level--) {
    if (level < levels - 1) total += block(w, w, true, false);
    for (let b = 0; b <= c.numBlocks; b++) {
      const o = c.channelMult[level]! * n;
      total += block(w + skips.pop()!, o, false, b === c.numBlocks && attnAt(level));
      w = o;
    }
  }
  return total + 2 * w + convK(w, c.channels, 3); // output GroupNorm and conv
}

function ditCount(c: DiTConfig): number {
  const d = c.hiddenSize;
  const r = c.mlpRatio;
  const perBlock = dense(d, 6 * d) + dense(d, 3 * d) + dense(d, d) + dense(d, r * d) + dense(r * d, d);
  const patch = convK(c.channels, d, c.patchSize);
  return (
    conditioningCount(c, d, d) +
    patch +
    c.depth * perBlock +
    dense(d, 2 * d) +
    dense(d, c.patchSize ** 2 * c.channels)
  );
}

function mlpCount(c: MlpConfig): number {
  const h = c.hiddenSize;
  const perBlock = dense(h, 2 * h) + 2 * dense(h, h);
  return conditioningCount(c, h, h) + dense(c.dim, h) + c.depth * perBlock + 2 * h + dense(h, c.dim);
}

const formula = (c: NetworkConfig) =>
  c.kind === "unet" ? unetCount(c) : c.kind === "dit" ? ditCount(c) : mlpCount(c);

describe("presets", () => {
  // The pinned counts: a change to any architecture shows up here first.
  const pinned: Record<string, number> = {
    "unet.tiny": 205_668,
    "unet.mnist": 1_899_330,
    "unet.mnistConditional": 1_899_682,
    "unet.mnistSmall": 749_186,
    "unet.cifar10": 60_049_796,
    "dit.tiny": 43_245,
    "dit.small": 32_525_197,
    "mlp.toy2d": 298_243,
  };
  const all = Object.entries(presets).flatMap(([kind, table]) =>
    Object.entries(table).map(([name, c]) => [`${kind}.${name}`, c as NetworkConfig] as const),
  );

  it("pins every preset's trainable parameter count, equal to an independent closed form", () => {
    for (const [name, c] of all) {
      expect(countParams(c), name).toBe(pinned[name]);
      expect(formula(c), name).toBe(pinned[name]);
    }
    expect(all.map(([name]) => name).sort()).toEqual(Object.keys(pinned).sort());
  });

  it("builds parameters whose count equals the spec's, for the presets small enough to allocate", () => {
    for (const [name, c] of all.filter(([n]) => n !== "unet.cifar10" && n !== "dit.small")) {
      const params = initNetwork(c, 0);
      expect(countParams(params), name).toBe(pinned[name]);
      disposeParams(params);
    }
  });

  // One forward each, of batch 2. The 28×28 U-Net runs at a quarter of its width (8 channels, not 32):
  // the shapes through its 28 → 14 → 7 levels and 7×7 attention are the ones the preset has, at a
  // sixteenth of the convolution work (the full width took 30 s of tfjs's cpu kernels at load 5).
  const cheap: [string, (c: NetworkConfig) => NetworkConfig][] = [
    ["unet.tiny", (c) => c],
    ["unet.mnist", (c) => ({ ...c, modelChannels: 8 }) as NetworkConfig],
    ["dit.tiny", (c) => c],
    ["mlp.toy2d", (c) => c],
  ];
  it.each(cheap)("maps [2, ...sample] to F of the same shape and logvar [2] (%s)", (name, size) => {
    const rng = Rng.seeded(2);
    const t = tf.tensor1d([0.5, 1.0]);
    const c = size(all.find(([n]) => n === name)![1]);
    const sample = c.kind === "mlp" ? [c.dim] : [c.resolution, c.resolution, c.channels];
    const params = initNetwork(c, 0);
    const x = randomNormal(rng, [2, ...sample]);
    const { F, logvar } = network(c, params)(x, t);
    expect(F.shape).toEqual([2, ...sample]);
    expect(logvar.shape).toEqual([2]);
    tf.dispose([x, F, logvar, t]);
    disposeParams(params);
  });

  it("gives the large presets' output layers the image shape without running them", () => {
    // cifar10 and dit.small take seconds per forward on a CPU: their specs alone show the shapes.
    const cifar = paramSpec(presets.unet.cifar10);
    expect(cifar["dec.32x32_aux_conv.weight"]!.shape).toEqual([3, 3, 256, 3]);
    expect(cifar["enc.32x32_conv.weight"]!.shape).toEqual([3, 3, 3, 128]);
    expect(cifar["enc.16x16_block0.qkv.weight"]!.shape).toEqual([256, 768]); // attention at 16×16
    const small = paramSpec(presets.dit.small);
    expect(small["x_embedder.proj.weight"]!.shape).toEqual([2, 2, 3, 384]);
    expect(small["final_layer.linear.weight"]!.shape).toEqual([384, 12]); // p²·C = 4·3
    expect(small["blocks.11.attn.qkv.weight"]!.shape).toEqual([384, 1152]);
  });
});
