// scm-fid: FID (and KID) between two inputs, each an image folder, a .npy of samples or a .npz of
// statistics; optionally saves statistics. Errors are one line on stderr and a non-zero exit code.
import { parseArgs } from "node:util";
import { type BackendName, initBackend } from "@scm/backend";
import type { NdArray } from "@scm/io";
import { createProgress, writeFileAtomic } from "@scm/io/node";
import { FidInputError, TorchPickleError, WeightsError } from "../errors.js";
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

/** The text of `scm-fid --help`. */
export const HELP = `Usage: scm-fid A [B] [options]

FID between A and B. Each input is one of:
  a folder of .png/.jpg/.jpeg images (not recursive),
  a .npy of samples [N, H, W, C] or [N, H, W]: uint8 in [0, 255], or floats in [-1, 1] (clipped),
  a .npz of statistics (float64 mu [D], sigma [D, D], as pytorch-fid's --save-stats writes),
  a .npz holding one array of samples (e.g. arr_0 of an image-sample archive).

Options:
  --features inception|mnist  feature network (default inception: pytorch-fid's FID InceptionV3,
                              pool3, 2048-d; mnist: the MLP shipped with @scm/fid, 128-d)
  --weights PATH              Inception weights (.pth or .safetensors); default $${INCEPTION_WEIGHTS_ENV},
                              else ~/.cache/scm-fid/pt_inception-2015-12-05-6726825d.pth
                              (from ${INCEPTION_WEIGHTS_URL});
                              with --features mnist: another MNIST weights .safetensors
  --save-stats PATH           write A's statistics (.npz); give it twice to also write B's
  --kid                       also print KID (unbiased MMD², cubic kernel; needs images, not statistics)
  --kid-subsets N             KID subsets (default 100)
  --kid-subset-size N         KID subset size (default 1000, capped at the smaller input)
  --batch-size N              images per forward pass (default 50)
  --backend NAME              tfjs backend: auto, node-gpu, node, wasm, cpu (default $SCM_BACKEND or auto)
  --json                      print one JSON object instead of text
  -h, --help                  show this help

Progress goes to stderr, results to stdout. Exit code 0 on success, 1 on bad input, 2 on bad usage.`;

/** Where the CLI writes (injectable for tests). */
export interface CliStreams {
  stdout: (text: string) => void;
  stderr: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean };
}

class UsageError extends Error {}

interface Measured {
  stats: FeatureStats;
  features: NdArray<Float32Array> | undefined;
  label: string;
}

/** Runs `scm-fid` with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: readonly string[], streams?: Partial<CliStreams>): Promise<number> {
  const out = streams?.stdout ?? ((t: string) => process.stdout.write(t));
  const err = streams?.stderr ?? process.stderr;
  try {
    return await run(argv, out, err as NodeJS.WriteStream);
  } catch (e) {
    const known = e instanceof FidInputError || e instanceof WeightsError || e instanceof TorchPickleError;
    const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    const message = e instanceof Error ? e.message : String(e);
    err.write(`scm-fid: ${message}\n`);
    if (usage) err.write("Run scm-fid --help for the options.\n");
    else if (!known && e instanceof Error && e.stack !== undefined) err.write(`${e.stack}\n`);
    return usage ? 2 : 1;
  }
}

async function run(
  argv: readonly string[],
  out: (t: string) => void,
  err: NodeJS.WriteStream,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      features: { type: "string", default: "inception" },
      weights: { type: "string" },
      "save-stats": { type: "string", multiple: true },
      kid: { type: "boolean", default: false },
      "kid-subsets": { type: "string", default: "100" },
      "kid-subset-size": { type: "string", default: "1000" },
      "batch-size": { type: "string", default: "50" },
      backend: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    out(`${HELP}\n`);
    return 0;
  }
  const saveStats = values["save-stats"] ?? [];
  if (positionals.length === 0 || positionals.length > 2) {
    throw new UsageError(`Got ${positionals.length} inputs; expected A and B (or only A with --save-stats).`);
  }
  if (positionals.length === 1 && saveStats.length === 0) {
    throw new UsageError(
      "Got one input and no --save-stats; expected two inputs to compare, or --save-stats PATH.",
    );
  }
  if (saveStats.length > positionals.length) {
    throw new UsageError(
      `Got ${saveStats.length} --save-stats paths for ${positionals.length} input(s); expected at most one per input.`,
    );
  }
  const kind = values.features;
  if (kind !== "inception" && kind !== "mnist") {
    throw new UsageError(`--features is "${kind}"; expected inception or mnist.`);
  }
  const integer = (flag: string, text: string) => {
    const v = Number(text);
    if (!Number.isInteger(v) || v < 1)
      throw new UsageError(`--${flag} is "${text}"; expected a positive integer.`);
    return v;
  };
  const batchSize = integer("batch-size", values["batch-size"]!);
  const kidSubsets = integer("kid-subsets", values["kid-subsets"]!);
  const kidSubsetSize = integer("kid-subset-size", values["kid-subset-size"]!);

  const inputs: Input[] = [];
  for (const p of positionals) inputs.push(await resolveInput(p));
  if (values.kid) {
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
          backend: values.backend as BackendName | undefined,
          log: (l) => err.write(`${l}\n`),
        });
        extractor =
          kind === "inception"
            ? inceptionExtractor(await loadInceptionWeights(values.weights))
            : mnistExtractor(await loadMnistWeights(values.weights));
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
        batchSize,
        onProgress: (d) => bar.update(d),
      });
      bar.finish();
      measured.push({ stats: featureStats(features, source.name), features, label: source.name });
    }
  } finally {
    extractor?.dispose();
  }

  for (const [i, path] of saveStats.entries()) {
    await writeFileAtomic(path, encodeStatsNpz(measured[i]!.stats));
    err.write(`saved the statistics of ${measured[i]!.label} to ${path}\n`);
  }
  if (measured.length < 2) return 0;

  const [a, b] = measured as [Measured, Measured];
  const da = a.stats.mu.shape[0]!;
  const db = b.stats.mu.shape[0]!;
  if (da !== db) {
    throw new FidInputError(
      b.label,
      `${a.label} gives ${da}-dimensional features but ${b.label} gives ${db}; expected the same feature network for both (--features ${kind} gives ${kind === "inception" ? 2048 : 128}).`,
    );
  }
  const fid = frechetDistance(a.stats, b.stats);
  const result: Record<string, number> = { fid };
  if (values.kid) {
    const size = Math.min(kidSubsetSize, a.features!.shape[0]!, b.features!.shape[0]!);
    const kid = kernelInceptionDistance(a.features!, b.features!, { subsets: kidSubsets, subsetSize: size });
    result["kid_mean"] = kid.mean;
    result["kid_std"] = kid.std;
  }
  if (values.json) out(`${JSON.stringify({ ...result, features: kind })}\n`);
  else {
    out(`FID: ${fid.toFixed(6)}\n`);
    if (values.kid)
      out(`KID: ${result["kid_mean"]!.toExponential(6)} ± ${result["kid_std"]!.toExponential(6)}\n`);
  }
  return 0;
}
