#!/usr/bin/env node
// `pnpm fuzz`: tens of thousands of seeded mutations per decoder in a watched worker; prints crashes,
// hangs and peak memory, and keeps the smallest reproducer of each new failure as a regression
// fixture (<fixtures>/<target>-<kind>-<hash>.bin, which the package's fuzz-regressions test reads).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { fixtureName } from "../fixture-name.js";
import type { FuzzTarget } from "../target.js";
import { fuzzWatched, type WatchedReport } from "./fuzz-watched.js";

const USAGE = `Usage: scm-fuzz --targets <module.js> --fixtures <dir> [--cases 20000] [--seed 1] [--only <target>]
                [--hang-ms 5000] [--max-rss-mb 2048] [--minimize-tries 2000]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function count(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) fail(`--${name} is "${text}"; expected a positive integer.`);
  return n;
}

const { values } = parseArgs({
  options: {
    targets: { type: "string" },
    fixtures: { type: "string" },
    cases: { type: "string" },
    seed: { type: "string" },
    only: { type: "string" },
    "hang-ms": { type: "string" },
    "max-rss-mb": { type: "string" },
    "minimize-tries": { type: "string" },
  },
  allowPositionals: false,
});
if (values.targets === undefined) fail("--targets is missing; expected the module that exports fuzzTargets.");
if (values.fixtures === undefined)
  fail("--fixtures is missing; expected the directory for regression fixtures.");
const moduleUrl = pathToFileURL(resolve(values.targets)).href;
const fixtures = resolve(values.fixtures);
const cases = count("cases", values.cases, 20_000);
const seed = count("seed", values.seed, 1);
const hangMs = count("hang-ms", values["hang-ms"], 5000);
const maxRssBytes = count("max-rss-mb", values["max-rss-mb"], 2048) * 2 ** 20;
const minimizeTries = count("minimize-tries", values["minimize-tries"], 2000);

const { fuzzTargets } = (await import(moduleUrl)) as { fuzzTargets: readonly FuzzTarget[] };
const targets = fuzzTargets.filter((t) => values.only === undefined || t.name === values.only);
if (targets.length === 0)
  fail(`--only is "${values.only}"; expected one of ${fuzzTargets.map((t) => t.name).join(", ")}.`);

const mb = (b: number) => `${Math.round(b / 2 ** 20)} MB`;
const reports: WatchedReport[] = [];
let newFixtures = 0;
for (const target of targets) {
  const report = await fuzzWatched({
    module: moduleUrl,
    target,
    seed,
    cases,
    hangMs,
    maxRssBytes,
    minimizeTries,
    onProgress: (done) => {
      if (process.stderr.isTTY) process.stderr.write(`\r${target.name}: ${done}/${cases} cases`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
  reports.push(report);
  for (const f of report.failures) {
    const name = fixtureName(target.name, f.kind, fnv1a(f.signature));
    const path = join(fixtures, name);
    const fresh = !existsSync(path);
    if (fresh) {
      mkdirSync(fixtures, { recursive: true });
      writeFileSync(path, f.input);
      newFixtures++;
    }
    process.stdout.write(
      `${target.name}: ${f.kind} in ${f.indices.length} case(s), first ${f.indices[0]} (seed ${seed}): ${f.message}\n` +
        `  ${fresh ? "new fixture" : "known fixture"} ${path} (${f.input.length} bytes${f.minimized ? ", minimized" : ""})\n`,
    );
  }
}

process.stdout.write(`\nseed ${seed}, ${cases} cases per target, hang after ${hangMs} ms\n`);
process.stdout.write(
  "target        decoded  refused  crashes  hangs  memory  peak RSS  slowest case      time\n",
);
for (const r of reports) {
  const n = (kind: string) => r.failures.filter((f) => f.kind === kind).length;
  process.stdout.write(
    `${r.target.padEnd(12)} ${String(r.decoded).padStart(8)} ${String(r.refused).padStart(8)} ${String(n("crash")).padStart(8)} ${String(n("hang")).padStart(6)} ${String(n("memory")).padStart(7)} ${mb(r.peakRssBytes).padStart(9)}  ${`#${r.slowest.index} ${Math.round(r.slowest.ms)} ms`.padEnd(16)} ${r.seconds.toFixed(1)} s\n`,
  );
}
const failed = reports.some((r) => r.failures.length > 0);
process.stdout.write(
  failed
    ? `\nFailures found; ${newFixtures} new regression fixture(s) in ${fixtures}.\n`
    : "\nNo crashes, hangs or memory blow-ups.\n",
);
process.exit(failed ? 1 : 0);

/** A short stable hash of a failure signature, for fixture names. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}
