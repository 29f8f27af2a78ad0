// The main-job demo until the apps exist: every sampler on the Gaussian oracle of docs/math.md §7
// (data N(0, s²), s = 0.8, σ_d = 0.5), 20,000 scalar samples. Prints, per sampler, its NFE, the sample
// standard deviation against the target s, the per-path error against the exact map, and wall time.
// Run from the repository root with `pnpm demo`.
import { initBackend, Rng, type Tensor } from "@scm/backend";
import { consistencyTimes, edmTimeGrid } from "./grids.js";
import { sampleConsistency } from "./samplers/consistency.js";
import { sampleDdim } from "./samplers/ddim.js";
import { sampleDpm2 } from "./samplers/dpm2.js";
import { sampleHeun } from "./samplers/heun.js";
import { sampleNoise } from "./samplers/noise.js";
import type { Sampler, VelocityFn } from "./samplers/types.js";
import { gaussianOracle } from "./testing/gaussian-oracle.js";
import { sampleStd } from "./testing/stats.js";

const s = 0.8;
const sigmaData = 0.5;
const n = 20_000;
const oracle = gaussianOracle(s, sigmaData);

interface Run {
  readonly name: string;
  readonly sampler: Sampler;
  readonly velocity: VelocityFn;
  readonly ts: number[];
  /** Whether x0 is a deterministic map of the starting noise (false once the sampler re-noises). */
  readonly deterministic: boolean;
}

const runs: Run[] = [
  {
    name: "EDM Heun, F*",
    sampler: sampleHeun,
    velocity: oracle.velocity,
    ts: edmTimeGrid(18, sigmaData),
    deterministic: true,
  },
  {
    name: "EDM Heun, F*",
    sampler: sampleHeun,
    velocity: oracle.velocity,
    ts: edmTimeGrid(40, sigmaData),
    deterministic: true,
  },
  {
    name: "DPM-Solver-2, F*",
    sampler: sampleDpm2,
    velocity: oracle.velocity,
    ts: edmTimeGrid(18, sigmaData),
    deterministic: true,
  },
  {
    name: "DDIM, F*",
    sampler: sampleDdim,
    velocity: oracle.velocity,
    ts: edmTimeGrid(18, sigmaData),
    deterministic: true,
  },
  {
    name: "DDIM, F*",
    sampler: sampleDdim,
    velocity: oracle.velocity,
    ts: edmTimeGrid(100, sigmaData),
    deterministic: true,
  },
  {
    name: "consistency, F_cm",
    sampler: sampleConsistency,
    velocity: oracle.consistencyVelocity,
    ts: consistencyTimes(1, sigmaData),
    deterministic: true,
  },
  {
    name: "consistency, F_cm",
    sampler: sampleConsistency,
    velocity: oracle.consistencyVelocity,
    ts: consistencyTimes(2, sigmaData),
    deterministic: false,
  },
  {
    name: "consistency, F* (undistilled)",
    sampler: sampleConsistency,
    velocity: oracle.velocity,
    ts: consistencyTimes(1, sigmaData),
    deterministic: true,
  },
];

// ±‖x0 − m·z‖/‖m·z‖ with m = s/√V(t_0), the exact PF-ODE map from t_0 to 0 (docs/math.md §7), signed by
// whether the samples came out wider (+) or narrower (−) than the exact map's.
function pathError(x0: Float32Array, z: Float32Array, m: number): number {
  let miss = 0;
  let norm = 0;
  let along = 0;
  for (let i = 0; i < z.length; i++) {
    miss += (x0[i]! - m * z[i]!) ** 2;
    norm += (m * z[i]!) ** 2;
    along += (x0[i]! - m * z[i]!) * m * z[i]!;
  }
  return Math.sign(along) * Math.sqrt(miss / norm);
}

// 0.00998 → "0.998%", 5.7e-8 → "5.7e-6%".
function percent(v: number): string {
  const p = 100 * v;
  return `${Math.abs(p) >= 0.01 ? p.toPrecision(3) : p.toExponential(1)}%`;
}

const info = await initBackend();
const rng = Rng.seeded(0);
const noise: Tensor = sampleNoise(rng, n, [], sigmaData); // [n], N(0, σ_d²)
const z = noise.dataSync() as Float32Array;
const rows: string[][] = [];
for (const run of runs) {
  const start = performance.now();
  const { x0, nfe } = run.sampler(run.velocity, noise, run.ts, { sigmaData, rng });
  const values = x0.dataSync() as Float32Array;
  const ms = performance.now() - start;
  x0.dispose();
  const sd = sampleStd(values);
  const m = oracle.odeMap(run.ts[0]!, 0); // x0 = √(V(0)/V(t_0))·z = s·z/√V(t_0)
  rows.push([
    run.name,
    String(run.ts.length - 1),
    String(nfe),
    sd.toFixed(4),
    s.toFixed(4),
    percent(sd / s - 1),
    run.deterministic ? percent(pathError(values, z, m)) : "— (re-noised)",
    ms.toFixed(0),
  ]);
}
noise.dispose();

const header = ["sampler", "steps", "NFE", "std", "target s", "std/s − 1", "path error", "ms"];
const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
const line = (cells: string[]) =>
  cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join("  ");
console.log(
  `Gaussian oracle (docs/math.md §7): data N(0, ${s}²), σ_d = ${sigmaData}, ${n} samples, backend ${info.name}`,
);
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of rows) console.log(line(r));
console.log(
  `std/s − 1 includes the sampling error of ${n} draws (±${percent(1 / Math.sqrt(2 * n))}; this noise z has ` +
    `std/σ_d − 1 = ${percent(sampleStd(z) / sigmaData - 1)}). Path error: ‖x0 − m·z‖/‖m·z‖ with m = s/√V(t_0), ` +
    "the exact PF-ODE map of each path; signed + when samples come out wider than the exact map.",
);
