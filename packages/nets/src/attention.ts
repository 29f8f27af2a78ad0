// Multi-head self-attention over tokens, on @scm/jvp's attention (whose JVP is App. F's; its
// "blockwise" mode streams key blocks for memory linear in the sequence length).
import type { Tensor } from "@scm/backend";
import { type AttentionOptions, attention, reshape, split, transpose } from "@scm/jvp";
import { linear } from "./layers.js";
import { linearSpec, type ParamSpec, type Params } from "./params.js";

/** `${name}.qkv` [C, 3C] and `${name}.proj` [C, C], the output projection zero-initialised (ADM). */
export function attentionSpec(spec: ParamSpec, name: string, c: number): void {
  linearSpec(spec, `${name}.qkv`, c, 3 * c);
  linearSpec(spec, `${name}.proj`, c, c, { zeroInit: true });
}

/** Self-attention of tokens x [B, T, C] with `heads` heads of C/heads channels: → [B, T, C]. */
export function selfAttention(
  p: Params,
  name: string,
  x: Tensor,
  heads: number,
  options: AttentionOptions = {},
): Tensor {
  const [b, t, c] = x.shape as [number, number, number];
  const d = c / heads;
  const [q, k, v] = split(linear(p, `${name}.qkv`, x), 3, -1) as [Tensor, Tensor, Tensor]; // [B, T, C] each
  const toHeads = (a: Tensor) => transpose(reshape(a, [b, t, heads, d]), [0, 2, 1, 3]); // [B, h, T, d]
  const y = attention(toHeads(q), toHeads(k), toHeads(v), options); // [B, h, T, d], scale 1/√d
  const merged = reshape(transpose(y, [0, 2, 1, 3]), [b, t, c]); // [B, T, C]
  return linear(p, `${name}.proj`, merged);
}
