// The command that rebuilds the shipped MNIST feature network (weights/mnist-features.safetensors):
// `pnpm --filter @scm/fid train-mnist-features [flags]`. Flags, help and errors come from @scm/cli,
// as in scm-fid; the weights file is written once, atomically, at the end.
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { initBackend } from "@scm/backend";
import {
  backendOption,
  commandLineLayers,
  formatHelp,
  type OptionTable,
  parseFlags,
  resolveConfig,
  runCli,
  UsageError,
} from "@scm/cli";
import type { Dataset } from "@scm/data";
import { loadMnist } from "@scm/data/node";
import { encodeSafetensors } from "@scm/io";
import { writeFileAtomic } from "@scm/io/node";
import { disposeMnistParams, mnistParamsToHost } from "../mnist-net.js";
import { mnistAccuracy, trainMnistNet } from "../train-mnist.js";
import type { CliStreams } from "./cli.js";
import { MNIST_WEIGHTS_PATH } from "./weights.js";

/** Every flag of the MNIST feature network's training command. */
export const trainMnistOptions = {
  epochs: {
    type: "number",
    integer: true,
    min: 1,
    default: 20,
    doc: "epochs over the 8,004 training digits",
  },
  seed: {
    type: "number",
    integer: true,
    min: 0,
    default: 0,
    doc: "seed of initialisation, shuffling and shifts",
  },
  backend: { ...backendOption, doc: `${backendOption.doc}; the shipped file used wasm` },
  out: {
    type: "string",
    doc: "the .safetensors to write (default: the package's weights/mnist-features.safetensors)",
  },
} as const satisfies OptionTable;

const usage = `usage: train-mnist-features [flags]

Trains @scm/fid's MNIST feature network (an MLP 784-256-128-10) on the fid split of the embedded
digits (@scm/data's loadMnist({ split: "fid" })) and writes its weights with the held-out accuracy.
Deterministic for a seed and backend.`;

/** The text of the training command's --help. */
export const TRAIN_MNIST_HELP = formatHelp(usage, trainMnistOptions);

// The shipped weights were trained on the `mnist` package's stored values v = round(u/255, 3) as
// 2v − 1, within 1e-3 of @scm/data's exact u/127.5 − 1. v is a function of the byte u, so recomputing
// it keeps a rebuild byte-identical to the shipped file (held-out accuracy is 1,941/1,996 with either).
/** Digits in the pixel values the shipped MNIST weights were trained on (see above). */
export function asShippedPixels(ds: Dataset): Dataset {
  const x = Float32Array.from(
    ds.x,
    (p) => 2 * (Math.round((Math.round((p + 1) * 127.5) / 255) * 1000) / 1000) - 1,
  );
  return { ...ds, x };
}

/** Runs the training command with `argv`; resolves to the exit code. */
export async function trainMnistMain(
  argv: readonly string[],
  streams?: Partial<CliStreams>,
): Promise<number> {
  const out = streams?.stdout ?? ((t: string) => process.stdout.write(t));
  const err = streams?.stderr ?? process.stderr;
  return runCli(
    "train-mnist-features",
    async (args) => {
      const flags = parseFlags(trainMnistOptions, args);
      if (flags.help) {
        out(TRAIN_MNIST_HELP);
        return 0;
      }
      if (flags.positionals.length > 0) {
        throw new UsageError(`train-mnist-features takes no inputs; got "${flags.positionals[0]}".`);
      }
      const config = resolveConfig(trainMnistOptions, await commandLineLayers(flags));
      const path = config.out ?? MNIST_WEIGHTS_PATH;
      if (!existsSync(dirname(path))) {
        throw new UsageError(
          `--out ${path} is in a folder that does not exist; expected an existing folder.`,
        );
      }
      const info = await initBackend({ backend: config.backend, log: (l) => err.write(`${l}\n`) });
      const train = asShippedPixels(await loadMnist({ part: "train", split: "fid" }));
      const test = asShippedPixels(await loadMnist({ part: "heldout", split: "fid" }));
      const start = performance.now();
      const seconds = () => ((performance.now() - start) / 1000).toFixed(1);
      const params = trainMnistNet(train, {
        epochs: config.epochs,
        seed: config.seed,
        onEpoch: (e, loss) => err.write(`epoch ${e + 1}: loss ${loss.toFixed(4)} (${seconds()} s)\n`),
      });
      const accuracy = mnistAccuracy(params, test);
      const trainAccuracy = mnistAccuracy(params, train);
      const metadata = {
        format: "scm-fid-mnist",
        layout: "dense weights [in, out], ReLU MLP 784-256-128-10",
        seed: String(config.seed),
        epochs: String(config.epochs),
        backend: info.name,
        train_digits: String(train.n),
        heldout_digits: String(test.n),
        heldout_accuracy: accuracy.toFixed(4),
      };
      const bytes = encodeSafetensors(mnistParamsToHost(params), metadata);
      disposeMnistParams(params);
      await writeFileAtomic(path, bytes);
      out(
        `wrote ${path}: held-out accuracy ${(100 * accuracy).toFixed(2)}% on ${test.n} digits (train ${(100 * trainAccuracy).toFixed(2)}%), ${seconds()} s on ${info.name}\n`,
      );
      return 0;
    },
    argv,
    (t) => err.write(t),
  );
}
