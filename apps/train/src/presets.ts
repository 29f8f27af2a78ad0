// Presets: one row per dataset size, with per-mode values where the paper uses different ones
// (App. G). Training length is in images, as in EDM2. Flags and --config files override any field.
import type { TrainConfig } from "./options.js";

type Mode = TrainConfig["mode"];
/** One preset: values for every mode, then per-mode values over them. */
export type TrainPreset = { readonly all: Partial<TrainConfig> } & {
  readonly [M in Mode]: Partial<TrainConfig>;
};

/** The presets by name. */
export const trainPresets = {
  // 2-D toy data (checkerboard by default) on the MLP: seconds to minutes on a laptop CPU.
  toy: {
    all: {
      data: "checkerboard",
      net: "mlp:toy2d",
      batchSize: 256,
      images: 256 * 3000,
      optimizer: "adam",
      lr: 1e-3,
      emaHalfLife: 256 * 200,
      checkpointEvery: 500,
      sampleEvery: 500,
      sampleCount: 2000,
      dropout: 0,
    },
    diffusion: { pMean: -0.8, pStd: 1.6 },
    sct: { pMean: -1.0, pStd: 1.4, tangentWarmup: 500 },
    scd: { pMean: -1.0, pStd: 1.4, tangentWarmup: 500 },
  },
  // MNIST 28×28 on the MNIST U-Net (class-conditional, so CFG can be distilled).
  mnist: {
    all: {
      data: "mnist",
      net: "unet:mnistConditional",
      batchSize: 64,
      images: 64 * 20_000,
      optimizer: "radam",
      emaHalfLife: 64 * 1000,
      checkpointEvery: 500,
      sampleEvery: 1000,
    },
    diffusion: { lr: 1e-3, dropout: 0.13, pMean: -0.8, pStd: 1.6 },
    sct: { lr: 2e-4, dropout: 0.2, pMean: -1.0, pStd: 1.4, tangentWarmup: 2000 },
    scd: { lr: 2e-4, dropout: 0, pMean: -1.0, pStd: 1.4, tangentWarmup: 2000 },
  },
  // The shipped digit models (mnist-teacher, mnist-scd, mnist-sct; models/README.md): unet:mnistSmall,
  // sized from measured step times so teacher → sCD → sCT trains in about 1.5 hours on 2 cores.
  "mnist-small": {
    all: {
      data: "mnist",
      net: "unet:mnistSmall",
      batchSize: 64,
      optimizer: "radam",
      checkpointEvery: 250,
      sampleEvery: 500,
      dropout: 0,
    },
    // Teacher: 2,000 steps (~14 epochs of the embedded 9,000 digits, ~50 min on 2 cores); no dropout (a short run underfits).
    diffusion: { lr: 1e-3, images: 64 * 2000, emaHalfLife: 32_000, pMean: -0.8, pStd: 1.6 },
    // Students start from the teacher's EMA (§5); CFG distilled up to scale 3 (§4.2, guidance input).
    sct: { lr: 2e-4, images: 64 * 600, emaHalfLife: 4000, pMean: -1.0, pStd: 1.4, tangentWarmup: 200 },
    scd: {
      lr: 2e-4,
      images: 64 * 600,
      emaHalfLife: 4000,
      pMean: -1.0,
      pStd: 1.4,
      tangentWarmup: 200,
      guidanceMax: 3,
    },
  },
  // `pnpm demo`: a live sCD distillation of the shipped mnist-teacher (@scm/models), initialised from
  // it (§5), on mnist-small's network; 9,600 images: 5 min 26 s at 29.5 images/s measured on 2 cores
  // (23 images/s with other work beside it: mnist-scd's card). FID-MNIST every 50 steps.
  "mnist-demo": {
    all: {
      data: "mnist",
      net: "unet:mnistSmall",
      batchSize: 64,
      images: 64 * 150,
      optimizer: "radam",
      lr: 2e-4,
      emaHalfLife: 2000,
      checkpointEvery: 50,
      sampleEvery: 50,
      sampleCount: 100,
      fidEvery: 50,
      fidSamples: 500,
      dropout: 0,
    },
    diffusion: { lr: 1e-3, pMean: -0.8, pStd: 1.6 },
    sct: { init: "mnist-teacher", pMean: -1.0, pStd: 1.4, tangentWarmup: 100 },
    scd: { teacher: "mnist-teacher", pMean: -1.0, pStd: 1.4, tangentWarmup: 100, guidanceMax: 3 },
  },
  // CIFAR-10 with the paper's hyperparameters (App. G); bring the images as a folder (--data DIR).
  cifar10: {
    all: {
      net: "unet:cifar10",
      batchSize: 512,
      optimizer: "radam",
      beta2: 0.99,
      eps: 1e-8,
      emaHalfLife: 500_000,
      checkpointEvery: 1000,
      sampleEvery: 5000,
    },
    // Teacher: Adam lr 1e-3, dropout 0.13, 400k iterations (App. G); CIFAR-10's CM proposal (§1 table).
    diffusion: { optimizer: "adam", lr: 1e-3, dropout: 0.13, images: 512 * 400_000, pMean: -1.0, pStd: 1.4 },
    sct: { lr: 1e-4, dropout: 0.2, images: 512 * 400_000, pMean: -1.0, pStd: 1.4, tangentWarmup: 10_000 },
    scd: { lr: 1e-4, dropout: 0, images: 512 * 400_000, pMean: -1.0, pStd: 1.4, tangentWarmup: 10_000 },
  },
} as const satisfies Record<TrainConfig["preset"], TrainPreset>;
