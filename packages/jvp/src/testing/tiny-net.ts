// A small sCM-shaped network for tests and benchmarks of the JVP machinery (paper §4.1): residual
// conv blocks with group norm and SiLU, adaptive double normalisation from a positional time
// embedding, self-attention over the down-sampled pixels, and nearest up-sampling. Not a model.
import { type Rng, randomNormal, type Tensor, tf } from "@scm/backend";
import { silu } from "../ops/activations.js";
import { add, mul } from "../ops/arithmetic.js";
import { type AttentionOptions, attention } from "../ops/attention.js";
import { avgPool, resizeNearestNeighbor } from "../ops/image.js";
import { conv2d, matMul } from "../ops/linalg.js";
import { groupNorm, pixelNorm } from "../ops/norms.js";
import { concat, reshape, slice, transpose } from "../ops/shape.js";
import { cos, sin } from "../ops/unary.js";

/** The network: `apply(x [B, H, W, inChannels], t [B]) → [B, H, W, inChannels]` and its parameters. */
export interface TinyNet {
  readonly params: Readonly<Record<string, Tensor>>;
  apply(x: Tensor, t: Tensor, attention?: AttentionOptions): Tensor;
  dispose(): void;
}

/** A tiny residual conv + attention network with `channels` features (a multiple of 2) and random weights. */
export function tinyNet(rng: Rng, channels = 8, inChannels = 3): TinyNet {
  const c = channels;
  const conv = (cin: number, cout: number) => randomNormal(rng, [3, 3, cin, cout], 1 / Math.sqrt(9 * cin));
  const dense = (cin: number, cout: number) => randomNormal(rng, [cin, cout], 1 / Math.sqrt(cin));
  const params = {
    inConv: conv(inChannels, c),
    conv1: conv(c, c),
    conv2: conv(c, c),
    freqs: tf.tensor2d([[1, 2, 4, 8]]), // [1, 4] positional frequencies (§4.1: small scale)
    scale: dense(8, c), // time embedding [B, 8] → modulation [B, C]
    shift: dense(8, c),
    qkv: dense(c, 3 * c),
    proj: dense(c, c),
    outConv: conv(c, inChannels),
  };
  const groups = 2;
  function apply(x: Tensor, t: Tensor, attn: AttentionOptions = {}): Tensor {
    const [b, h, w] = x.shape as [number, number, number, number];
    const angles = matMul(reshape(t, [b, 1]), params.freqs); // [B, 4]
    const emb = concat([sin(angles), cos(angles)], 1); // [B, 8]
    const s = reshape(pixelNorm(matMul(emb, params.scale)), [b, 1, 1, c]); // pnorm(s(t))
    const sh = reshape(pixelNorm(matMul(emb, params.shift)), [b, 1, 1, c]); // pnorm(b(t))
    let y = conv2d(x, params.inConv, 1, "same"); // [B, H, W, C]
    let r = add(mul(groupNorm(y, groups), s), sh); // adaptive double normalisation
    r = conv2d(silu(r), params.conv1, 1, "same");
    r = conv2d(silu(groupNorm(r, groups)), params.conv2, 1, "same");
    y = add(y, r);
    const lo = avgPool(y, 2, 2, "valid"); // [B, H/2, W/2, C]
    const n = (h / 2) * (w / 2);
    const qkv = matMul(reshape(groupNorm(lo, groups), [b * n, c]), params.qkv); // [B·T, 3C]
    const heads = transpose(reshape(qkv, [b, n, 3, c]), [2, 0, 1, 3]); // [3, B, T, C]
    const pick = (i: number) => reshape(slice(heads, [i, 0, 0, 0], [1, -1, -1, -1]), [b, 1, n, c]);
    const a = attention(pick(0), pick(1), pick(2), attn); // [B, 1, T, C]
    const attended = add(reshape(lo, [b * n, c]), matMul(reshape(a, [b * n, c]), params.proj)); // [B·T, C]
    y = add(y, resizeNearestNeighbor(reshape(attended, [b, h / 2, w / 2, c]), [h, w]));
    return conv2d(silu(groupNorm(y, groups)), params.outConv, 1, "same"); // [B, H, W, inChannels]
  }
  return { params, apply, dispose: () => tf.dispose(Object.values(params)) };
}
