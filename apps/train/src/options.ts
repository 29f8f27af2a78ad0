// Every setting of scm-train: one table gives the flags, the keys of --config files and of the run's
// config.json, the validation and --help. Defaults here are the paper's where it has one (App. G);
// presets (presets.ts) size them for a dataset.
import { backendOption, type ConfigOf, type OptionTable } from "@scm/cli";
import { tangentNormalizations } from "@scm/losses";
import { presets as netPresets } from "@scm/nets";

/** The names `--net` takes as presets: kind:preset. */
export const netPresetNames = Object.entries(netPresets).flatMap(([kind, rows]) =>
  Object.keys(rows).map((name) => `${kind}:${name}`),
);

/** scm-train's settings. */
export const trainOptions = {
  // What to train
  mode: {
    type: "string",
    choices: ["diffusion", "sct", "scd"],
    default: "sct",
    doc: "TrigFlow teacher (diffusion), consistency training (sct) or distillation (scd)",
  },
  preset: {
    type: "string",
    choices: ["toy", "mnist", "mnist-small", "mnist-demo", "cifar10"],
    default: "mnist",
    doc: "sizes for a dataset (see the README's preset table)",
  },
  data: {
    type: "string",
    doc: "mnist, a toy set (checkerboard, 8gaussians, moons, spiral), an image folder, or a .npy/.csv file",
  },
  imageSize: { type: "number", integer: true, min: 1, doc: "resize/crop an image folder to this size" },
  net: {
    type: "string",
    doc: `network: a preset (${netPresetNames.join(", ")}) or a network config .json file (see @scm/nets)`,
  },
  dropout: {
    type: "number",
    min: 0,
    max: 0.99,
    doc: "dropout rate in the residual blocks (App. G: 0.2 sCT, 0 sCD, 0.13 teacher)",
  },
  teacher: {
    type: "string",
    doc: "sCD: the teacher: a shipped model (mnist-teacher), model file, run directory or checkpoint (EMA weights)",
  },
  init: {
    type: "string",
    doc: "initialise the weights from this model or run (the paper starts sCT/sCD from the teacher)",
  },
  // How long, how fast
  images: {
    type: "number",
    integer: true,
    min: 1,
    doc: "training length in images (steps = images / batch size)",
  },
  batchSize: { type: "number", integer: true, min: 1, doc: "images per step" },
  optimizer: {
    type: "string",
    choices: ["adam", "radam"],
    default: "radam",
    doc: "optimizer (App. G: RAdam on CIFAR-10, Adam on ImageNet)",
  },
  lr: { type: "number", min: 0, doc: "learning rate (α_ref for the inverse-sqrt schedule)" },
  lrSchedule: {
    type: "string",
    choices: ["constant", "inverseSqrt"],
    default: "constant",
    doc: "constant, or EDM2's α_ref/√max(step/t_ref, 1)",
  },
  lrRefSteps: {
    type: "number",
    integer: true,
    min: 1,
    default: 2000,
    doc: "t_ref of the inverse-sqrt schedule, in steps",
  },
  beta1: { type: "number", min: 0, max: 0.999999, default: 0.9, doc: "Adam β₁" },
  beta2: { type: "number", min: 0, max: 0.999999, default: 0.99, doc: "Adam β₂ (App. G: 0.99)" },
  eps: { type: "number", min: 0, default: 1e-8, doc: "Adam ε (App. G: 1e-8 CIFAR-10, 1e-11 ImageNet)" },
  gradClip: { type: "number", min: 0, default: 0, doc: "clip the gradient's global norm (0: off)" },
  emaHalfLife: { type: "number", min: 1, doc: "EMA half-life in images (App. G: 0.5 Mimg on CIFAR-10)" },
  // The objective (Alg. 1)
  sigmaData: { type: "number", min: 1e-6, default: 0.5, doc: "σ_d, the data standard deviation" },
  pMean: { type: "number", doc: "P_mean of the lognormal time proposal" },
  pStd: { type: "number", min: 1e-6, doc: "P_std of the lognormal time proposal" },
  tangentWarmup: {
    type: "number",
    integer: true,
    min: 0,
    doc: "H: tangent warmup r = min(1, step/H), in steps (0: none)",
  },
  normalization: {
    type: "string",
    choices: tangentNormalizations,
    default: "l2",
    doc: "tangent normalisation g/(‖g‖+c); rms, clip, none for the ablations",
  },
  normalizationConstant: { type: "number", min: 0, default: 0.1, doc: "c in g/(‖g‖ + c)" },
  adaptiveWeighting: {
    type: "boolean",
    default: true,
    doc: "adaptive weighting e^{w}/D·‖·‖² − w (diffusion: EDM2 uncertainty weighting)",
  },
  discreteSteps: {
    type: "number",
    integer: true,
    min: 0,
    default: 0,
    doc: "0: continuous time; N: the discrete-time variant of App. E",
  },
  labelDropout: {
    type: "number",
    min: 0,
    max: 1,
    default: 0.1,
    doc: "diffusion: replace labels by the null label with this rate (for CFG)",
  },
  guidanceMax: {
    type: "number",
    min: 1,
    default: 1,
    doc: "sCD: distil CFG with s ~ U[1, s_max] fed to the student (1: off)",
  },
  // Bookkeeping
  out: { type: "string", doc: "run directory (default runs/<preset>-<mode>)" },
  resume: { type: "boolean", default: false, doc: "continue the run in --out from its checkpoint" },
  seed: {
    type: "number",
    integer: true,
    min: 0,
    default: 0,
    doc: "seed of every random draw (init, data order, noise, times)",
  },
  backend: backendOption,
  logEvery: { type: "number", integer: true, min: 1, default: 10, doc: "steps between metrics.jsonl rows" },
  checkpointEvery: {
    type: "number",
    integer: true,
    min: 1,
    doc: "steps between checkpoints (also on Ctrl-C and at the end)",
  },
  sampleEvery: { type: "number", integer: true, min: 1, doc: "steps between sample grids and loss plots" },
  sampleCount: { type: "number", integer: true, min: 1, default: 64, doc: "samples in each grid" },
  fidEvery: {
    type: "number",
    integer: true,
    min: 0,
    default: 0,
    doc: "steps between FIDs of the EMA's samples in the MNIST feature space, to fid.jsonl (0: off; MNIST-shaped data)",
  },
  fidSamples: {
    type: "number",
    integer: true,
    min: 2,
    default: 1000,
    doc: "samples (and reference images) per FID",
  },
  sampleNfe: {
    type: "number",
    integer: true,
    min: 1,
    default: 19,
    doc: "diffusion runs: Heun evaluations for the teacher's sample grid",
  },
} as const satisfies OptionTable;

/** A resolved scm-train config (what config.json holds). */
export type TrainConfig = ConfigOf<typeof trainOptions>;

/** The settings a resumed run may change; every other one must match the run's config.json. */
export const resumableOptions: readonly (keyof TrainConfig)[] = [
  "images",
  "resume",
  "backend",
  "logEvery",
  "checkpointEvery",
  "sampleEvery",
  "sampleCount",
  "sampleNfe",
  "fidEvery",
  "fidSamples",
];

/** --help's sections. */
export const optionGroups: Readonly<Record<string, readonly (keyof TrainConfig)[]>> = {
  "What to train": ["mode", "preset", "data", "imageSize", "net", "dropout", "teacher", "init"],
  "How long, how fast": [
    "images",
    "batchSize",
    "optimizer",
    "lr",
    "lrSchedule",
    "lrRefSteps",
    "beta1",
    "beta2",
    "eps",
    "gradClip",
    "emaHalfLife",
  ],
  "Objective (Alg. 1)": [
    "sigmaData",
    "pMean",
    "pStd",
    "tangentWarmup",
    "normalization",
    "normalizationConstant",
    "adaptiveWeighting",
    "discreteSteps",
    "labelDropout",
    "guidanceMax",
  ],
  Bookkeeping: [
    "out",
    "resume",
    "seed",
    "backend",
    "logEvery",
    "checkpointEvery",
    "sampleEvery",
    "sampleCount",
    "sampleNfe",
    "fidEvery",
    "fidSamples",
  ],
};
