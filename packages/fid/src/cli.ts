#!/usr/bin/env node
// The `scm-fid` executable: see `scm-fid --help`.
import { main } from "./node/cli.js";

process.exitCode = await main(process.argv.slice(2));
