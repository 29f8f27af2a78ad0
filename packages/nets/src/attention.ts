// Multi-head self-attention over tokens, on @scm/jvp's attention (whose JVP is App. F's; its
// "blockwise" mode streams key blocks for memory linear in the sequence length).
import type { Tensor } from "@scm/backend";
import { type AttentionOptions, attention, reshape, split, transpose } from "@scm/jvp";
import type { Layer, ParamScope } from "./layer.js";
import { linear } from "./layers.js";

/**
 * Self-attention of tokens x [B, T, C] with `heads` heads of C/heads channels: → [B, T, C]. Declares
 * `qkv` [C, 3C] and `proj` [C, C] in `scope`, the output projection zero-initialised (ADM).
 */
export function selfAttention(
  scope: ParamScope,
  c: number,
  heads: number,
  options: AttentionOptions = {},
): Layer {
  const qkv = linear(scope.child("qkv"), c, 3 * c);
  const proj = linear(scope.child("proj"), c, c, { zeroInit: true });
  const d = c / heads;
  return (p, x) => {
    const [b, t] = x.shape as [number, number, number];
    const [q, k, v] = split(qkv(p, x), 3, -1) as [Tensor, Tensor, Tensor]; // [B, T, C] each
    const toHeads = (a: Tensor) => transpose(reshape(a, [b, t, heads, d]), [0, 2, 1, 3]); // [B, h, T, d]
    const y = attention(toHeads(q), toHeads(k), toHeads(v), options); // [B, h, T, d], scale 1/√d
    const merged = reshape(transpose(y, [0, 2, 1, 3]), [b, t, c]); // [B, T, C]
    return proj(p, merged);
  };
}
