// The named network sizes, one typed row each. Parameter counts (trainable, from `countParams`) are
// pinned in presets.test.ts against an independent closed form, and listed in the README.
import { conditioningDefaults } from "./config.js";
import type { DiTConfig } from "./dit.js";
import type { MlpConfig } from "./mlp.js";
import type { UNetConfig } from "./unet.js";

const cond = conditioningDefaults;

/** Named configs: unet tiny (tests) / mnist / mnistConditional / cifar10 (DDPM++), dit tiny / small, mlp toy2d. */
export const presets = {
  unet: {
    // 8×8×3 with labels: the test size, every feature on (attention at 4×4, dropout, 10 classes).
    tiny: {
      ...cond,
      kind: "unet",
      resolution: 8,
      channels: 3,
      modelChannels: 16,
      channelMult: [1, 2],
      numBlocks: 1,
      attnResolutions: [4],
      attentionHeads: 2,
      embMult: 4,
      numClasses: 10,
      dropout: 0.1,
    },
    // MNIST 28×28×1 (28 → 14 → 7), attention at 7×7; unconditional.
    mnist: {
      ...cond,
      kind: "unet",
      resolution: 28,
      channels: 1,
      modelChannels: 32,
      channelMult: [1, 2, 2],
      numBlocks: 2,
      attnResolutions: [7],
      attentionHeads: 1,
      embMult: 4,
      dropout: 0.1,
    },
    // The same, class-conditional (10 digits + the null label, for CFG / label dropout).
    mnistConditional: {
      ...cond,
      kind: "unet",
      resolution: 28,
      channels: 1,
      modelChannels: 32,
      channelMult: [1, 2, 2],
      numBlocks: 2,
      attnResolutions: [7],
      attentionHeads: 1,
      embMult: 4,
      numClasses: 10,
      dropout: 0.1,
    },
    // CIFAR-10 32×32×3, EDM's DDPM++ (128 × [2, 2, 2], 4 blocks, attention at 16×16); dropout 0.13 (App. G teacher).
    cifar10: {
      ...cond,
      kind: "unet",
      resolution: 32,
      channels: 3,
      modelChannels: 128,
      channelMult: [2, 2, 2],
      numBlocks: 4,
      attnResolutions: [16],
      attentionHeads: 1,
      embMult: 4,
      dropout: 0.13,
    },
  },
  dit: {
    // 8×8×3, patch 2 (16 tokens), 2 blocks of width 32: the test size, with labels.
    tiny: {
      ...cond,
      kind: "dit",
      resolution: 8,
      channels: 3,
      patchSize: 2,
      hiddenSize: 32,
      depth: 2,
      heads: 2,
      mlpRatio: 4,
      numClasses: 10,
      dropout: 0.1,
    },
    // DiT-S/2 on 32×32×3 (256 tokens), class-conditional.
    small: {
      ...cond,
      kind: "dit",
      resolution: 32,
      channels: 3,
      patchSize: 2,
      hiddenSize: 384,
      depth: 12,
      heads: 6,
      mlpRatio: 4,
      numClasses: 10,
    },
  },
  mlp: {
    // 2-D toy data (two moons, Gaussian mixtures): 4 residual blocks of width 128.
    toy2d: { ...cond, kind: "mlp", dim: 2, hiddenSize: 128, depth: 4 },
  },
} as const satisfies {
  unet: Record<string, UNetConfig>;
  dit: Record<string, DiTConfig>;
  mlp: Record<string, MlpConfig>;
};
