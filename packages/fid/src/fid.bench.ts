// `pnpm bench`: FID from 10,000 × 2048 features (covariance accumulation and the two eigenproblems
// timed apart), and feature extraction per image (FID Inception at 299×299 with random weights — the
// cost does not depend on the values — and the MNIST network). Prints a table, writes
// bench-results/fid.json. Options: --n N --dim D --images N (defaults 10000, 2048, 4).
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { initBackend, Rng, tf } from "@scm/backend";
import ndarray from "ndarray";
import { arrayImageSource, extractFeatures } from "./extract.js";
import { featureStats } from "./feature-stats.js";
import { frechetDistanceDetails } from "./frechet-distance.js";
import {
  inceptionExtractor,
  inceptionWeightsFromStateDict,
  randomInceptionStateDict,
} from "./inception-v3.js";
import { mnistExtractor } from "./mnist-net.js";
import { loadMnistWeights } from "./node/weights.js";
import { symmetricEigen } from "./symmetric-eigen.js";

const { values } = parseArgs({
  options: {
    n: { type: "string", default: "10000" },
    dim: { type: "string", default: "2048" },
    images: { type: "string", default: "4" },
  },
});
const n = Number(values.n);
const dim = Number(values.dim);
const images = Number(values.images);
const info = await initBackend();
// Wall-clock seconds, and this process's CPU seconds beside them (the machine may be shared).
const rows: [string, number, string, number][] = [];
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const time = <T>(label: string, f: () => T, unit = "s"): T => {
  const t0 = performance.now();
  const c0 = cpuSeconds();
  const r = f();
  rows.push([label, (performance.now() - t0) / 1000, unit, cpuSeconds() - c0]);
  console.error(`[bench] ${label}: ${rows.at(-1)![1].toFixed(2)} s (cpu ${rows.at(-1)![3].toFixed(2)} s)`);
  return r;
};
const timeAsync = async <T>(label: string, f: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const c0 = cpuSeconds();
  const r = await f();
  const s = (performance.now() - t0) / 1000;
  rows.push([label, s, "s", cpuSeconds() - c0]);
  return [r, s];
};

// Inception-like features: non-negative, correlated (a ReLU of a random linear mix of Gaussians).
function features(seed: number): Float64Array {
  const rng = Rng.seeded(seed);
  const k = 64;
  const mix = rng.fillNormal(new Float64Array(k * dim), 0, 1 / Math.sqrt(k));
  const z = new Float64Array(k);
  const x = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    rng.fillNormal(z);
    for (let j = 0; j < dim; j++) {
      let s = 0.3 * rng.normal();
      for (let q = 0; q < 8; q++) s += z[(j + q * 7) % k]! * mix[q * dim + j]!;
      x[i * dim + j] = Math.max(0, s + 0.2);
    }
  }
  return x;
}

console.error(`[bench] ${n} × ${dim} features, ${images} images per extractor, ${cpus().length} cores`);
const xa = features(1);
const xb = features(2);
const sa = time(`featureStats ${n}×${dim} (covariance, N−1)`, () => featureStats(ndarray(xa, [n, dim])));
const sb = featureStats(ndarray(xb, [n, dim]));
time(`symmetricEigen ${dim}×${dim} with vectors`, () =>
  symmetricEigen(sa.sigma.data, dim, { vectors: true }),
);
time(`symmetricEigen ${dim}×${dim} values only`, () => symmetricEigen(sb.sigma.data, dim));
const details = time(`frechetDistance ${dim}-d (from statistics)`, () => frechetDistanceDetails(sa, sb));
const statsSeconds = rows[0]![1];
rows.push([
  `FID from ${n}×${dim} features, both sets`,
  2 * statsSeconds + rows[3]![1],
  "s",
  2 * rows[0]![3] + rows[3]![3],
]);

const inception = inceptionExtractor(inceptionWeightsFromStateDict(randomInceptionStateDict(0)));
const source = (size: number, c: number, count: number) =>
  arrayImageSource(
    ndarray(Rng.seeded(3).fillUniform(new Float32Array(count * size * size * c), -1, 1), [
      count,
      size,
      size,
      c,
    ]),
  );
await extractFeatures(inception, source(32, 3, 1)); // warm-up (kernel compilation, allocation)
const [, tInception] = await timeAsync(`Inception features, ${images} images 32×32 → 299×299`, () =>
  extractFeatures(inception, source(32, 3, images), { batchSize: images }),
);
rows.push(["  per image", tInception / images, "s/img", rows.at(-1)![3] / images]);
inception.dispose();
// the shipped weights, found from the package root (this file runs from dist/bench/)
const mnist = mnistExtractor(
  await loadMnistWeights(fileURLToPath(new URL("../../weights/mnist-features.safetensors", import.meta.url))),
);
await extractFeatures(mnist, source(28, 1, 10));
const mnistCount = 1000;
const [, tMnist] = await timeAsync(`MNIST features, ${mnistCount} images 28×28`, () =>
  extractFeatures(mnist, source(28, 1, mnistCount), { batchSize: 250 }),
);
rows.push(["  per image", tMnist / mnistCount, "s/img", rows.at(-1)![3] / mnistCount]);
mnist.dispose();

const width = Math.max(...rows.map((r) => r[0].length));
console.log(
  `backend ${info.name}, ${cpus()[0]?.model ?? "cpu"} ×${cpus().length}, FID = ${details.fid.toFixed(4)} (clipped eigenvalues: ${details.clippedEigenvalues})`,
);
const fmt = (s: number) => (s < 0.1 ? s.toExponential(3) : s.toFixed(2));
console.log(`${"".padEnd(width)}  wall (cpu of this process)`);
for (const [label, s, unit, cpu] of rows)
  console.log(`${label.padEnd(width)}  ${fmt(s)} ${unit} (${fmt(cpu)})`);
mkdirSync("bench-results", { recursive: true });
writeFileSync(
  "bench-results/fid.json",
  `${JSON.stringify({ backend: info.name, n, dim, images, cores: cpus().length, fid: details.fid, tfMemory: tf.memory().numTensors, rows: rows.map(([label, seconds, unit, cpu]) => ({ label, seconds, unit, cpuSeconds: cpu })) }, null, 2)}\n`,
);
