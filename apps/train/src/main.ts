#!/usr/bin/env node
// scm-train: the command line. Ctrl-C (SIGINT) or SIGTERM stops after the current step with a
// checkpoint; a second Ctrl-C exits at once.
import { initBackend, trainingKernels } from "@scm/backend";
import { formatHelp, runMain } from "@scm/cli";
import { resolveTrainRequest } from "./config.js";
import { optionGroups, trainOptions } from "./options.js";
import { train } from "./train.js";

const usage = `usage: scm-train [--mode diffusion|sct|scd] [--preset toy|mnist|mnist-demo|cifar10] [flags]

Trains a TrigFlow teacher (diffusion), a consistency model by consistency training (sct), or
distils a teacher (scd, --teacher RUN_DIR), as in Lu & Song (2024). Writes config.json,
checkpoint.safetensors, ema.safetensors, metrics.jsonl, sample grids and loss plots to --out.`;

runMain("scm-train", async (argv) => {
  const request = await resolveTrainRequest(argv);
  if (request.help) {
    process.stdout.write(formatHelp(usage, trainOptions, optionGroups));
    return 0;
  }
  const { config } = request;
  await initBackend({ backend: config.backend, requiredKernels: trainingKernels });
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(130);
    process.stderr.write("\nStopping after this step (Ctrl-C again to quit without a checkpoint)…\n");
    stop.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const outcome = await train(config, { signal: stop.signal });
  return outcome.status === "interrupted" ? 130 : 0;
});
