import { Rng, randomUniform, tf } from "@scm/backend";
import { toyDataset } from "@scm/data";
import { loadMnist } from "@scm/data/node";
import { describe, expect, it } from "vitest";
import { createMnistFid } from "./fid-eval.js";

describe("createMnistFid", () => {
  it("gives 0 for the reference images themselves and a large FID for uniform noise", async () => {
    const mnist = await loadMnist();
    const fid = await createMnistFid(mnist, 300);
    const same = tf.tensor4d(mnist.x.slice(0, 300 * 784), [300, 28, 28, 1]);
    const noise = randomUniform(Rng.seeded(0), [300, 28, 28, 1], -1, 1);
    // Identical features give identical statistics: FID 0 up to the eigen-solver's float64 rounding.
    expect(Math.abs(await fid.fid(same))).toBeLessThan(1e-6);
    // Noise is far from digits in the trained feature space (the digits' own FID between halves is ~5–20).
    expect(await fid.fid(noise)).toBeGreaterThan(100);
    tf.dispose([same, noise]);
    fid.dispose();
  });

  it("refuses data that is not MNIST-shaped, naming both shapes", async () => {
    await expect(createMnistFid(toyDataset("moons", 100, 0), 50)).rejects.toThrow(
      /takes \[28, 28, 1\] images; .* has \[2\]/,
    );
  });
});
