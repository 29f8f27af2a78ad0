// scm-fid: FID (and KID) between two inputs, each an image folder, a .npy of samples or a .npz of
// statistics; optionally saves statistics. Flags, help and errors come from @scm/cli's option table,
// as in scm-train and scm-sample: a bad input is one sentence on stderr, exit 1 (2 for bad usage), and
// nothing is written.
import { initBackend } from "@scm/backend";
import {
  backendOption,
  type ConfigOf,
  commandLineLayers,
  formatHelp,
  type OptionTable,
  parseFlags,
  resolveConfig,
  runCli,
  UsageError,
} from "@scm/cli";
import type { NdArray } from "@scm/io";
import { createProgress, writeFileAtomic } from "@scm/io/node";
import { FidInputError } from "../errors.js";
import { extractFeatures } from "../extract.js";
import type { FeatureExtractor } from "../feature-extractor.js";
import { type FeatureStats, featureStats } from "../feature-stats.js";
import { frechetDistance } from "../frechet-distance.js";
import { inceptionExtractor } from "../inception-v3.js";
import { kernelInceptionDistance } from "../kid.js";
import { mnistExtractor } from "../mnist-net.js";
import { encodeStatsNpz } from "../stats-file.js";
import { type Input, resolveInput } from "./sources.js";
import {
  INCEPTION_WEIGHTS_ENV,
  INCEPTION_WEIGHTS_URL,
  loadInceptionWeights,
  loadMnistWeights,
} from "./weights.js";

/** Every flag of `scm-fid`, in one table (flags, --config keys, validation, --help). */
export const fidOptions = {
  features: {
    type: "string",
    choices: ["inception", "mnist"],
    default: "inception",
    doc: "feature network: pytorch-fid's InceptionV3 (pool3, 2048-d) or @scm/fid's MNIST MLP (128-d)",
  },
  weights: {
    type: "string",
    doc: "Inception weights, .pth or .safetensors (see above); with --features mnist, other MNIST weights",
  },
  saveStats: {
    type: "string",
    multiple: true,
    doc: "write A's statistics (.npz); a second one writes B's",
  },
  kid: {
    type: "boolean",
    default: false,
    doc: "also print KID (unbiased MMD², cubic kernel; needs images, not statistics)",
  },
  kidSubsets: { type: "number", integer: true, min: 1, default: 100, doc: "KID subsets" },
  kidSubsetSize: {
    type: "number",
    integer: true,
    min: 1,
    default: 1000,
    doc: "KID subset size, capped at the smaller input",
  },
  batchSize: { type: "number", integer: true, min: 1, default: 50, doc: "images per forward pass" },
  backend: backendOption,
  json: { type: "boolean", default: false, doc: "print one JSON object instead of text" },
} as const satisfies OptionTable;

const usage = `usage: scm-fid A [B] [flags]

FID between A and B. Each input is one of:
  a folder of .png/.jpg/.jpeg images (not recursive),
  a .npy of samples [N, H, W, C] or [N, H, W]: uint8 in [0, 255], or floats in [-1, 1] (clipped),
  a .npz of statistics (float64 mu [D], sigma [D, D], as pytorch-fid's --save-stats writes),
  a .npz holding one array of samples (e.g. arr_0 of an image-sample archive).
Inception weights: --weights, else $${INCEPTION_WEIGHTS_ENV}, else
~/.cache/scm-fid/pt_inception-2015-12-05-6726825d.pth; download once from
${INCEPTION_WEIGHTS_URL}.
Progress goes to stderr, results to stdout. Exit code 0 on success, 1 on bad input, 2 on bad usage.`;

/** A resolved `scm-fid` config. */
export type FidConfig = ConfigOf<typeof fidOptions>;

/** The text of `scm-fid --help`. */
export const HELP = formatHelp(usage, fidOptions);

/** Where the CLI writes (injectable for tests). */
export interface CliStreams {
  stdout: (text: string) => void;
  stderr: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean };
}

interface Measured {
  stats: FeatureStats;
  features: NdArray<Float32Array> | undefined;
  label: string;
}

/** Runs `scm-fid` with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: readonly string[], streams?: Partial<CliStreams>): Promise<number> {
  const out = streams?.stdout ?? ((t: string) => process.stdout.write(t));
  const err = (streams?.stderr ?? process.stderr) as NodeJS.WriteStream;
  return runCli(
    "scm-fid",
    (args) => run(args, out, err),
    argv,
    (t) => err.write(t),
  );
}

async function run(argv: string[], out: (t: string) => void, err: NodeJS.WriteStream): Promise<number> {
  const flags = parseFlags(fidOptions, argv);
  if (flags.help) {
    out(HELP);
    return 0;
  }
  const config = resolveConfig(fidOptions, await commandLineLayers(flags));
  const { positionals } = flags;
  const saveStats = config.saveStats ?? [];
  if (positionals.length === 0) {
    throw new UsageError(
      "No input given; expected two inputs A and B to compare, or A alone with --save-stats PATH.",
    );
  }
  if (positionals.length > 2) {
    throw new UsageError(
      `Got ${positionals.length} inputs (${positionals.join(", ")}); expected at most two, A and B.`,
    );
  }
  if (positionals.length === 1 && saveStats.length === 0) {
    throw new UsageError(
      `Got one input (${positionals[0]}) and no --save-stats; expected two inputs to compare, or --save-stats PATH.`,
    );
  }
  if (saveStats.length > positionals.length) {
    throw new UsageError(
      `Got ${saveStats.length} --save-stats paths for ${positionals.length} input(s); expected at most one per input.`,
    );
  }
  const kind = config.features;

  const inputs: Input[] = [];
  for (const p of positionals) inputs.push(await resolveInput(p));
  if (config.kid) {
    const stats = inputs.find((i) => i.kind === "stats");
    if (stats !== undefined && stats.kind === "stats") {
      throw new FidInputError(
        stats.path,
        `${stats.path} holds statistics; KID needs images (features), not mu/sigma.`,
      );
    }
  }

  let extractor: FeatureExtractor | undefined;
  const measured: Measured[] = [];
  try {
    for (const [i, input] of inputs.entries()) {
      const label = i === 0 ? "A" : "B";
      if (input.kind === "stats") {
        measured.push({ stats: input.stats, features: undefined, label: input.path });
        continue;
      }
      if (extractor === undefined) {
        await initBackend({
          backend: config.backend,
          log: (l) => err.write(`${l}\n`),
        });
        extractor =
          kind === "inception"
            ? inceptionExtractor(await loadInceptionWeights(config.weights))
            : mnistExtractor(await loadMnistWeights(config.weights));
      }
      const { source } = input;
      if (source.count < 2) {
        throw new FidInputError(
          source.name,
          `${source.name} has ${source.count} image; expected at least 2 to estimate a covariance.`,
        );
      }
      const bar = createProgress({
        total: source.count,
        label: `${label} ${kind}`,
        unit: "img",
        stream: err,
      });
      const features = await extractFeatures(extractor, source, {
        batchSize: config.batchSize,
        onProgress: (d) => bar.update(d),
      });
      bar.finish();
      measured.push({ stats: featureStats(features, source.name), features, label: source.name });
    }
  } finally {
    extractor?.dispose();
  }

  // every check and computation comes before the first write, so a failure leaves nothing behind
  const result = measured.length === 2 ? compare(measured as [Measured, Measured], config) : undefined;
  for (const [i, path] of saveStats.entries()) {
    await writeFileAtomic(path, encodeStatsNpz(measured[i]!.stats));
    err.write(`saved the statistics of ${measured[i]!.label} to ${path}\n`);
  }
  if (result === undefined) return 0;
  if (config.json) out(`${JSON.stringify({ ...result, features: config.features })}\n`);
  else {
    out(`FID: ${result["fid"]!.toFixed(6)}\n`);
    if (config.kid)
      out(`KID: ${result["kid_mean"]!.toExponential(6)} ± ${result["kid_std"]!.toExponential(6)}\n`);
  }
  return 0;
}

// FID (and KID) of two measured inputs; refuses features of different networks.
function compare([a, b]: [Measured, Measured], config: FidConfig): Record<string, number> {
  const kind = config.features;
  const da = a.stats.mu.shape[0]!;
  const db = b.stats.mu.shape[0]!;
  if (da !== db) {
    throw new FidInputError(
      b.label,
      `${a.label} gives ${da}-dimensional features but ${b.label} gives ${db}; expected the same feature network for both (--features ${kind} gives ${kind === "inception" ? 2048 : 128}).`,
    );
  }
  const result: Record<string, number> = { fid: frechetDistance(a.stats, b.stats) };
  if (config.kid) {
    const size = Math.min(config.kidSubsetSize, a.features!.shape[0]!, b.features!.shape[0]!);
    const kid = kernelInceptionDistance(a.features!, b.features!, {
      subsets: config.kidSubsets,
      subsetSize: size,
    });
    result["kid_mean"] = kid.mean;
    result["kid_std"] = kid.std;
  }
  return result;
}
