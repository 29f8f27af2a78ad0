#!/usr/bin/env node
// scm-sample: the command line.
import { initBackend } from "@scm/backend";
import { commandLineLayers, formatHelp, parseFlags, resolveConfig, runMain, UsageError } from "@scm/cli";
import { sampleOptions } from "./options.js";
import { sample } from "./sample.js";

const usage = `usage: scm-sample --model NAME|FILE | [--run] RUN_DIR [--steps 1|2|N | --sampler heun|dpm2|ddim --nfe K] [flags]

Draws samples from a shipped model (mnist-scd, mnist-sct, mnist-teacher), a model file or a run of
scm-train: a consistency model in 1, 2 or N steps from t_max (§4 of Lu & Song 2024; t_mid = 1.1), or
a diffusion teacher with an ODE solver. Writes a PNG grid (one row per class for a conditional model
without --class; a scatter plot for 2-D data) and, with --npy, the raw samples.

  scm-sample --model mnist-scd --steps 1 --class 7 --out grid.png`;

runMain("scm-sample", async (argv) => {
  const flags = parseFlags(sampleOptions, argv);
  if (flags.help) {
    process.stdout.write(formatHelp(usage, sampleOptions));
    return 0;
  }
  if (flags.positionals.length > 1)
    throw new UsageError(`scm-sample takes one run; got ${flags.positionals.join(", ")}.`);
  const layers = await commandLineLayers(flags, { run: flags.positionals[0] });
  const config = resolveConfig(sampleOptions, layers);
  await initBackend({ backend: config.backend });
  const outcome = await sample(config);
  process.stderr.write(
    `Wrote ${outcome.n} samples to ${outcome.png}${outcome.npy ? ` and ${outcome.npy}` : ""}.\n`,
  );
  return 0;
});
