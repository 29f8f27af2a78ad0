// The named network sizes, one typed row each. Parameter counts (trainable, from `countParams`) are
// pinned in presets.test.ts against an independent closed form, and listed in the README.
import { conditioningDefaults as cond } from "./config.js";
import type { DiTConfig } from "./dit.js";
import type { MlpConfig } from "./mlp.js";
import type { UNetConfig } from "./unet.js";

/** Named configs: unet tiny (tests) / mnist / mnistConditional / cifar10 (DDPM++), dit tiny / small, mlp toy2d. */
// biome-ignore format: one aligned row per preset
export const presets = {
  unet: {
    // 8×8×3 with labels: the test size, every feature on (attention at 4×4, dropout, 10 classes). 205,668 parameters.
    tiny:             { ...cond, kind: "unet", resolution: 8,  channels: 3, modelChannels: 16,  channelMult: [1, 2],    numBlocks: 1, attnResolutions: [4],  attentionHeads: 2, embMult: 4, numClasses: 10, dropout: 0.1 },
    // MNIST 28×28×1 (28 → 14 → 7), attention at 7×7; unconditional. 1,899,330 parameters.
    mnist:            { ...cond, kind: "unet", resolution: 28, channels: 1, modelChannels: 32,  channelMult: [1, 2, 2], numBlocks: 2, attnResolutions: [7],  attentionHeads: 1, embMult: 4, numClasses: 0,  dropout: 0.1 },
    // The same, class-conditional (10 digits + the null label, for CFG / label dropout). 1,899,682 parameters.
    mnistConditional: { ...cond, kind: "unet", resolution: 28, channels: 1, modelChannels: 32,  channelMult: [1, 2, 2], numBlocks: 2, attnResolutions: [7],  attentionHeads: 1, embMult: 4, numClasses: 10, dropout: 0.1 },
    // MNIST for a 2-core CPU (the shipped digit models): 28 → 14 → 7 at 16/32/64 channels, one block a level, no attention; class-conditional. 749,186 parameters.
    mnistSmall:       { ...cond, kind: "unet", resolution: 28, channels: 1, modelChannels: 16,  channelMult: [1, 2, 4], numBlocks: 1, attnResolutions: [],   attentionHeads: 1, embMult: 4, numClasses: 10, dropout: 0 },
    // CIFAR-10 32×32×3, EDM's DDPM++ (attention at 16×16); dropout 0.13 (App. G's teacher). 60,049,796 parameters.
    cifar10:          { ...cond, kind: "unet", resolution: 32, channels: 3, modelChannels: 128, channelMult: [2, 2, 2], numBlocks: 4, attnResolutions: [16], attentionHeads: 1, embMult: 4, numClasses: 0,  dropout: 0.13 },
  },
  dit: {
    // 8×8×3 in 2×2 patches (16 tokens), width 32, 2 blocks, with labels: the test size. 43,245 parameters.
    tiny:  { ...cond, kind: "dit", resolution: 8,  channels: 3, patchSize: 2, hiddenSize: 32,  depth: 2,  heads: 2, mlpRatio: 4, numClasses: 10, dropout: 0.1 },
    // DiT-S/2 on 32×32×3 (256 tokens), class-conditional. 32,525,197 parameters.
    small: { ...cond, kind: "dit", resolution: 32, channels: 3, patchSize: 2, hiddenSize: 384, depth: 12, heads: 6, mlpRatio: 4, numClasses: 10, dropout: 0 },
  },
  mlp: {
    // 2-D toy data (two moons, Gaussian mixtures): 4 residual blocks of width 128. 298,243 parameters.
    toy2d: { ...cond, kind: "mlp", dim: 2, hiddenSize: 128, depth: 4 },
  },
} as const satisfies {
  unet: Record<string, UNetConfig>;
  dit: Record<string, DiTConfig>;
  mlp: Record<string, MlpConfig>;
};
