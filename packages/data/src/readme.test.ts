// Runs the README example (kept in sync by hand; the expected values are the ones its comments print).
import { tf } from "@scm/backend";
import { expect, it } from "vitest";
import { BatchSampler, datasetStats, toyDataset } from "./index.js";
import { loadDataset, loadMnist } from "./node/index.js";

it("runs the README example", async () => {
  const before = tf.memory().numTensors;
  const toy = toyDataset("checkerboard", 10_000, 0);
  // toBeCloseTo(0.5, 1) allows 0.05; the std's standard error is ≈ 0.5 · sqrt(0.8 / 40,000) ≈ 0.0022 (uniform marginals, kurtosis 1.8)
  for (const s of datasetStats(toy).channelStd) expect(s).toBeCloseTo(0.5, 1);

  const mnist = await loadMnist({ part: "train" });
  expect([mnist.n, mnist.sampleShape, mnist.numClasses]).toEqual([9000, [28, 28, 1], 10]);

  const sampler = new BatchSampler(mnist, { batchSize: 64, seed: 0 });
  const { x, labels } = sampler.nextTensors();
  expect([x.shape, labels?.shape]).toEqual([[64, 28, 28, 1], [64]]);
  x.dispose();
  labels?.dispose();
  const saved = sampler.state();
  const resumed = new BatchSampler(mnist, { batchSize: 64, state: saved });
  expect(resumed.next().indices[0] === sampler.next().indices[0]).toBe(true);
  expect(tf.memory().numTensors).toBe(before);

  const spiral = await loadDataset("spiral", { toySize: 2000, toySeed: 1 });
  expect(spiral.sampleShape).toEqual([2]);
});
