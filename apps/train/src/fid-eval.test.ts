import { Rng, randomUniform, tf } from "@scm/backend";
import { toyDataset } from "@scm/data";
import { loadMnist } from "@scm/data/node";
import { describe, expect, it } from "vitest";
import { createMnistFid } from "./fid-eval.js";

describe("createMnistFid", () => {
  it("puts real held-out digits near the reference and uniform noise far from it", async () => {
    const fid = await createMnistFid(await loadMnist());
    const heldOut = await loadMnist({ part: "heldout", split: "fid" });
    const real = tf.tensor4d(heldOut.x.slice(0, 500 * 784), [500, 28, 28, 1]);
    const noise = randomUniform(Rng.seeded(0), [500, 28, 28, 1], -1, 1);
    // 500 real digits the reference never held: only the small-sample bias. A reference of the
    // first training images alone (all 0s: the embedded set is sorted by digit) gave 527.
    expect(await fid.fid(real)).toBeLessThan(20);
    // Noise is far from digits in the trained feature space.
    expect(await fid.fid(noise)).toBeGreaterThan(100);
    tf.dispose([real, noise]);
    fid.dispose();
  });

  it("refuses data that is not MNIST-shaped, naming both shapes", async () => {
    await expect(createMnistFid(toyDataset("moons", 100, 0))).rejects.toThrow(
      /takes \[28, 28, 1\] images; .* has \[2\]/,
    );
  });
});
