#!/usr/bin/env node
// Rebuilds weights/mnist-features.safetensors: `pnpm --filter @scm/fid train-mnist-features --help`.
import { trainMnistMain } from "./node/train-mnist-main.js";

process.exitCode = await trainMnistMain(process.argv.slice(2));
