// From argv to a checked TrainConfig: defaults < preset < preset's mode row < --config file < flags;
// with --resume the run's own config.json is the base and only `resumableOptions` may change.
import { join } from "node:path";
import {
  commandLineLayers,
  describeField,
  parseFlags,
  readConfigFile,
  resolveConfig,
  UsageError,
} from "@scm/cli";
import { resumableOptions, type TrainConfig, trainOptions } from "./options.js";
import { trainPresets } from "./presets.js";

/** The run directory's config file name. */
export const configFileName = "config.json";

/** What the command line asked for: `help`, or a checked config. */
export type TrainRequest = { readonly help: true } | { readonly help: false; readonly config: TrainConfig };

const required: readonly (keyof TrainConfig)[] = [
  "data",
  "net",
  "images",
  "batchSize",
  "lr",
  "emaHalfLife",
  "pMean",
  "pStd",
  "checkpointEvery",
  "sampleEvery",
];

function checkCombination(c: TrainConfig): void {
  // The tangent warmup (§4.2) exists only in the consistency objectives; a teacher has no tangent.
  const keys = c.mode === "diffusion" ? required : [...required, "tangentWarmup" as const];
  for (const key of keys) {
    if (c[key] === undefined) {
      const hint = key === "data" ? " (the cifar10 preset needs --data with your image folder)" : "";
      throw new UsageError(
        `${describeField(key)} is not set by preset ${c.preset} and must be given${hint}.`,
      );
    }
  }
  if (c.mode === "scd" && c.teacher === undefined) {
    throw new UsageError(
      "mode scd distils a teacher: give --teacher MODEL (a shipped model such as mnist-teacher, or a diffusion run).",
    );
  }
  if (c.mode === "diffusion" && c.teacher !== undefined) {
    throw new UsageError("--teacher is for sct/scd runs; a diffusion run trains the teacher itself.");
  }
  if (c.guidanceMax > 1 && c.mode !== "scd") {
    throw new UsageError(
      `${describeField("guidanceMax")} is ${c.guidanceMax}; guidance distillation needs mode scd.`,
    );
  }
}

/** Parses argv into a checked TrainConfig (reading --config and, with --resume, the run's config.json). */
export async function resolveTrainRequest(argv: readonly string[]): Promise<TrainRequest> {
  const flags = parseFlags(trainOptions, argv);
  if (flags.help) return { help: true };
  if (flags.positionals.length > 0) {
    throw new UsageError(`scm-train takes no positional arguments; got "${flags.positionals[0]}".`);
  }
  const user = await commandLineLayers(flags);
  const probe = resolveConfig(trainOptions, user);
  const out = probe.out ?? join("runs", `${probe.preset}-${probe.mode}`);

  if (probe.resume) {
    const path = join(out, configFileName);
    const stored = resolveConfig(trainOptions, [await readConfigFile(path, "the run's config")]);
    const asked = Object.assign({}, ...user.map((l) => l.values)) as Partial<TrainConfig>;
    for (const [key, value] of Object.entries(asked) as [keyof TrainConfig, unknown][]) {
      if (value === undefined || resumableOptions.includes(key) || key === "out") continue;
      if (JSON.stringify(value) !== JSON.stringify(stored[key])) {
        throw new UsageError(
          `${describeField(key)} cannot change on --resume: the run in ${out} has ${JSON.stringify(stored[key])}, this command ${JSON.stringify(value)}.`,
        );
      }
    }
    const changes = Object.fromEntries(
      resumableOptions.filter((k) => asked[k] !== undefined).map((k) => [k, asked[k]]),
    );
    return { help: false, config: { ...stored, ...changes, out, resume: true } };
  }

  const preset = trainPresets[probe.preset];
  const config = resolveConfig(trainOptions, [
    { source: `preset ${probe.preset}`, values: preset.all },
    { source: `preset ${probe.preset} (${probe.mode})`, values: preset[probe.mode] },
    ...user,
  ]);
  config.out = out;
  checkCombination(config);
  return { help: false, config };
}
