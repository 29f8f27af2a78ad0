// A small sCM-shaped network (paper §4.1): residual conv blocks with group norm, SiLU, adaptive double
// normalisation from a positional time embedding, self-attention over pixels, down- and up-sampling.
// Its JVP along (ẋ, ṫ), as in Alg. 1, against finite differences and the dot-product identity.
import { Rng, randomNormal, type Tensor, tf } from "@scm/backend";
import { describe, expect, it } from "vitest";
import { jvp } from "./jvp.js";
import { silu } from "./ops/activations.js";
import { add, mul } from "./ops/arithmetic.js";
import { type AttentionOptions, attention } from "./ops/attention.js";
import { avgPool, resizeNearestNeighbor } from "./ops/image.js";
import { conv2d, matMul } from "./ops/linalg.js";
import { groupNorm, pixelNorm } from "./ops/norms.js";
import { concat, reshape, slice, transpose } from "./ops/shape.js";
import { cos, sin } from "./ops/unary.js";
import { jvpReport, jvpTolerances, relativeError } from "./testing/index.js";

const C = 8;
const rng = Rng.seeded(31);
const params = {
  inConv: randomNormal(rng, [3, 3, 3, C], 0.3), // [kH, kW, Cin, C]
  conv1: randomNormal(rng, [3, 3, C, C], 0.15),
  conv2: randomNormal(rng, [3, 3, C, C], 0.15),
  freqs: tf.tensor2d([[1, 2, 4, 8]]), // [1, 4] positional frequencies (§4.1: small scale)
  scale: randomNormal(rng, [C, C], 0.3), // time embedding [B, 2·4] -> modulation [B, C]
  shift: randomNormal(rng, [C, C], 0.3),
  qkv: randomNormal(rng, [C, 3 * C], 0.3),
  proj: randomNormal(rng, [C, C], 0.3),
  outConv: randomNormal(rng, [3, 3, C, 3], 0.15),
};

/** F(x, t): x [B, 4, 4, 3], t [B]. */
function net(x: Tensor, t: Tensor, attn: AttentionOptions = {}): Tensor {
  const [b, h, w] = x.shape as [number, number, number, number];
  const angles = matMul(reshape(t, [b, 1]), params.freqs); // [B, 4]
  const emb = concat([sin(angles), cos(angles)], 1); // [B, 8]
  const s = reshape(pixelNorm(matMul(emb, params.scale)), [b, 1, 1, C]); // pnorm(s(t))
  const sh = reshape(pixelNorm(matMul(emb, params.shift)), [b, 1, 1, C]); // pnorm(b(t))
  let y = conv2d(x, params.inConv, 1, "same"); // [B, 4, 4, C]
  // Residual block with adaptive double normalisation.
  let r = add(mul(groupNorm(y, 2), s), sh);
  r = conv2d(silu(r), params.conv1, 1, "same");
  r = conv2d(silu(groupNorm(r, 2)), params.conv2, 1, "same");
  y = add(y, r);
  // Down, attention over the 2×2 pixels as one head, up.
  const lo = avgPool(y, 2, 2, "valid"); // [B, 2, 2, C]
  const tokens = reshape(lo, [b, 1, 4, C]); // [B, 1, T, C]
  const qkv = matMul(reshape(groupNorm(lo, 2), [b * 4, C]), params.qkv); // [B·T, 3C]
  const heads = transpose(reshape(qkv, [b, 4, 3, C]), [2, 0, 1, 3]); // [3, B, T, C]
  const pick = (i: number) => reshape(slice(heads, [i, 0, 0, 0], [1, -1, -1, -1]), [b, 1, 4, C]);
  const a = attention(pick(0), pick(1), pick(2), attn); // [B, 1, T, C]
  const attended = add(tokens, reshape(matMul(reshape(a, [b * 4, C]), params.proj), [b, 1, 4, C]));
  y = add(y, resizeNearestNeighbor(reshape(attended, [b, 2, 2, C]), [h, w]));
  return conv2d(silu(groupNorm(y, 2)), params.outConv, 1, "same"); // [B, 4, 4, 3]
}

describe("a residual conv net with attention and group norm", () => {
  const x = randomNormal(rng, [2, 4, 4, 3]);
  const t = tf.tensor1d([0.3, 1.2]);

  it("has a JVP in (x, t) that matches central finite differences and the dot-product identity, leaking nothing", () => {
    const r = jvpReport((a, b) => net(a, b), [x, t], rng);
    // Tolerances and their reasons: `jvpTolerances`.
    expect(r.finiteDifference).toBeLessThan(jvpTolerances.finiteDifference);
    expect(r.dotProduct).toBeLessThan(jvpTolerances.dotProduct);
    expect(r.leaked).toBe(0);
  });

  it("gives the same JVP with blockwise attention as with direct attention", () => {
    const tx = randomNormal(rng, x.shape);
    const tt = tf.tensor1d([0.5, -1]);
    const [yD, dD] = jvp((a, b) => net(a, b), [x, t], [tx, tt]);
    const [yB, dB] = jvp((a, b) => net(a, b, { mode: "blockwise", blockSize: 3 }), [x, t], [tx, tt]);
    // Online softmax regroups the same sums: float32 rounding, amplified by the later layers, ~1e-6.
    expect(relativeError(yB, yD)).toBeLessThan(1e-5);
    expect(relativeError(dB, dD)).toBeLessThan(1e-5);
    tf.dispose([tx, tt, yD, dD, yB, dB]);
  });
});
