// The composite check of issue 3: a small residual conv net with attention and group norm
// (`tinyNet`, shaped like sCM's networks, paper §4.1), differentiated along (ẋ, ṫ) as in Alg. 1.
import { Rng, randomNormal, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { jvp } from "./jvp.js";
import { jvpReport, jvpTolerances, relativeError, tinyNet } from "./testing/index.js";

describe("a residual conv net with attention and group norm", () => {
  const rng = Rng.seeded(31);
  const net = tinyNet(rng, 8);
  const x = randomNormal(rng, [2, 4, 4, 3]); // [B, H, W, C]
  const t = tf.tensor1d([0.3, 1.2]); // [B]

  it("has a JVP in (x, t) that matches central finite differences and the dot-product identity, leaking nothing", () => {
    const r = jvpReport((a, b) => net.apply(a, b), [x, t], rng);
    // Tolerances and their reasons: `jvpTolerances`.
    expect(r.finiteDifference).toBeLessThan(jvpTolerances.finiteDifference);
    expect(r.dotProduct).toBeLessThan(jvpTolerances.dotProduct);
    expect(r.leaked).toBe(0);
  });

  it("gives the same JVP with blockwise attention as with direct attention", () => {
    const tx = randomNormal(rng, x.shape);
    const tt = tf.tensor1d([0.5, -1]);
    const [yD, dD] = jvp((a, b) => net.apply(a, b), [x, t], [tx, tt]);
    const [yB, dB] = jvp((a, b) => net.apply(a, b, { mode: "blockwise", blockSize: 3 }), [x, t], [tx, tt]);
    // Online softmax regroups the same sums: float32 rounding, amplified by the later layers, ~1e-6.
    expect(relativeError(yB, yD)).toBeLessThan(1e-5);
    expect(relativeError(dB, dD)).toBeLessThan(1e-5);
    tf.dispose([tx, tt, yD, dD, yB, dB]);
  });
});
