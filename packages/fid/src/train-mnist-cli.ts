#!/usr/bin/env node
// Rebuilds weights/mnist-features.safetensors: `pnpm --filter @scm/fid train-mnist-features`
// (options: --epochs N, --seed N, --backend NAME, --out PATH). Deterministic for a given backend.
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type BackendName, initBackend } from "@scm/backend";
import { encodeSafetensors } from "@scm/io";
import { writeFileAtomic } from "@scm/io/node";
import { mnistParamsToHost } from "./mnist-net.js";
import { loadMnistDigits } from "./node/mnist-digits.js";
import { mnistAccuracy, trainMnistNet } from "./train-mnist.js";

const { values } = parseArgs({
  options: {
    epochs: { type: "string", default: "20" },
    seed: { type: "string", default: "0" },
    backend: { type: "string" },
    out: {
      type: "string",
      default: fileURLToPath(new URL("../weights/mnist-features.safetensors", import.meta.url)),
    },
  },
});
const info = await initBackend({ backend: values.backend as BackendName | undefined });
const { train, test } = loadMnistDigits();
const start = performance.now();
const params = trainMnistNet(train, {
  epochs: Number(values.epochs),
  seed: Number(values.seed),
  onEpoch: (e, loss) =>
    console.error(
      `epoch ${e + 1}: loss ${loss.toFixed(4)} (${((performance.now() - start) / 1000).toFixed(1)} s)`,
    ),
});
const accuracy = mnistAccuracy(params, test);
const trainAccuracy = mnistAccuracy(params, train);
const metadata = {
  format: "scm-fid-mnist",
  layout: "dense weights [in, out], ReLU MLP 784-256-128-10",
  seed: values.seed!,
  epochs: values.epochs!,
  backend: info.name,
  train_digits: String(train.labels.length),
  heldout_digits: String(test.labels.length),
  heldout_accuracy: accuracy.toFixed(4),
};
await writeFileAtomic(values.out!, encodeSafetensors(mnistParamsToHost(params), metadata));
console.log(
  `wrote ${values.out}: held-out accuracy ${(100 * accuracy).toFixed(2)}% on ${test.labels.length} digits (train ${(100 * trainAccuracy).toFixed(2)}%), ${((performance.now() - start) / 1000).toFixed(1)} s on ${info.name}`,
);
