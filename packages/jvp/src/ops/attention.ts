// Scaled dot-product attention, y = softmax(q·kᵀ·scale)·v, for q [B, heads, Tq, d], k [B, heads, Tk, d],
// v [B, heads, Tk, dv], in two forms (paper App. F; docs/math.md §3):
// - "direct": composed of matMul, softmax and matMul, so its JVP is App. F's
//   ẏ = (p⊙ẋ)·v − rowsum(p⊙ẋ)⊙(p·v) + p·v̇ with ẋ = (q̇·kᵀ + q·k̇ᵀ)·scale, by composition; it holds the
//   [Tq, Tk] attention matrix.
// - "blockwise": one primitive with a joint rule that streams over key blocks keeping, per query, the
//   running max m, ℓ = Σe^{x−m}, f = Σe^{x−m}v, g = Σe^{x−m}ẋ v, μ = Σe^{x−m}ẋ (and h = Σe^{x−m}v̇),
//   rescaled by e^{m_old − m_new} as each block arrives; then y = f/ℓ and ẏ = g/ℓ − (μ/ℓ)·y + h/ℓ.
//   Memory is O(Tq·blockSize) per step instead of O(Tq·Tk): linear in sequence length.
import type { Tensor } from "@scm/backend";
import { tf } from "@scm/backend";
import { JvpArgumentError, ShapeError } from "../errors.js";
import { bind, type Primitive, type Tangent, type Tangents } from "../trace.js";
import { add, div, maximum, mul, sub } from "./arithmetic.js";
import { matMul } from "./linalg.js";
import { stopGradient } from "./logic.js";
import { max, softmax, sum } from "./reduction.js";
import { slice } from "./shape.js";
import { exp } from "./unary.js";

/** Options of `attention`. */
export interface AttentionOptions {
  /** Logit scale; default 1/√d. */
  scale?: number;
  /** "direct" (materialises the attention matrix) or "blockwise" (streams key blocks); default "direct". */
  mode?: "direct" | "blockwise";
  /** Keys per block in "blockwise" mode; default 64. */
  blockSize?: number;
}

export interface BlockwiseParams {
  scale: number;
  blockSize: number;
}
type Qkv = readonly [Tensor, Tensor, Tensor];

/** Running per-query state over key blocks (App. F); g, μ, h exist only for non-zero tangents. */
interface State {
  m: Tensor; // [B, h, Tq, 1] running max of the logits
  l: Tensor; // [B, h, Tq, 1] Σ e^{x−m}
  f: Tensor; // [B, h, Tq, dv] Σ e^{x−m} v
  g?: Tensor; // [B, h, Tq, dv] Σ e^{x−m} ẋ v
  mu?: Tensor; // [B, h, Tq, 1] Σ e^{x−m} ẋ
  h?: Tensor; // [B, h, Tq, dv] Σ e^{x−m} v̇
}

function keyBlock(x: Tensor, start: number, size: number): Tensor {
  return slice(x, [0, 0, start, 0], [-1, -1, size, -1]);
}

/** Folds one key block into the state, rescaling the old sums to the new running max. */
function step(
  s: State | undefined,
  [q, k, v]: Qkv,
  [tq, tk, tv]: Tangents<Qkv>,
  start: number,
  size: number,
  scale: number,
): State {
  const kj = keyBlock(k, start, size); // [B, h, bk, d]
  const vj = keyBlock(v, start, size); // [B, h, bk, dv]
  const x = mul(matMul(q, kj, false, true), scale); // [B, h, Tq, bk]
  let tx: Tangent;
  if (tq !== undefined) tx = matMul(tq, kj, false, true);
  if (tk !== undefined) {
    const term = matMul(q, keyBlock(tk, start, size), false, true);
    tx = tx === undefined ? term : add(tx, term);
  }
  if (tx !== undefined) tx = mul(tx, scale); // ẋ = (q̇·kᵀ + q·k̇ᵀ)·scale
  // The result is invariant to m, so m carries no tangent.
  const blockMax = stopGradient(max(x, -1, true));
  const m = s === undefined ? blockMax : maximum(s.m, blockMax);
  const e = exp(sub(x, m)); // [B, h, Tq, bk]
  const alpha = s === undefined ? undefined : exp(sub(s.m, m)); // e^{m_old − m_new}
  const rescale = (old: Tensor | undefined, term: Tensor) =>
    old === undefined ? term : add(mul(old, alpha!), term);
  const next: State = {
    m,
    l: rescale(s?.l, sum(e, -1, true)),
    f: rescale(s?.f, matMul(e, vj)),
  };
  if (tx !== undefined) {
    const ex = mul(e, tx);
    next.g = rescale(s?.g, matMul(ex, vj));
    next.mu = rescale(s?.mu, sum(ex, -1, true));
  }
  if (tv !== undefined) next.h = rescale(s?.h, matMul(e, keyBlock(tv, start, size)));
  return next;
}

function stateTensors(s: State): Tensor[] {
  return [s.m, s.l, s.f, s.g, s.mu, s.h].filter((t): t is Tensor => t !== undefined);
}

/** The blockwise pass: y and, when any tangent is non-zero, ẏ. */
function blockwise(
  qkv: Qkv,
  tangents: Tangents<Qkv>,
  { scale, blockSize }: BlockwiseParams,
): [Tensor, Tangent] {
  const tk = qkv[1].shape[2]!;
  let s: State | undefined;
  for (let start = 0; start < tk; start += blockSize) {
    const size = Math.min(blockSize, tk - start);
    const previous = s;
    s = tf.tidy(
      () => step(previous, qkv, tangents, start, size, scale) as unknown as tf.TensorContainer,
    ) as unknown as State;
    if (previous !== undefined) for (const t of stateTensors(previous)) t.dispose();
  }
  const final = s!;
  const result = tf.tidy(() => {
    const y = div(final.f, final.l); // [B, h, Tq, dv]
    let num: Tangent;
    if (final.g !== undefined) num = sub(final.g, mul(final.mu!, y)); // g − μ·y
    if (final.h !== undefined) num = num === undefined ? final.h : add(num, final.h);
    return [y, num === undefined ? undefined : div(num, final.l)] as tf.TensorContainer;
  }) as unknown as [Tensor, Tangent];
  for (const t of stateTensors(final)) t.dispose();
  return result;
}

export const attentionPrimitives = {
  attentionBlockwise: {
    name: "attentionBlockwise",
    impl: (qkv, params) => blockwise(qkv, [undefined, undefined, undefined], params)[0],
    jointJvp: (qkv, tangents, params) => blockwise(qkv, tangents, params),
  } satisfies Primitive<Qkv, BlockwiseParams>,
};

function checkShapes(q: Tensor, k: Tensor, v: Tensor): void {
  if (q.rank !== 4) throw new ShapeError("attention's q", q.shape, "rank 4 [B, heads, Tq, d]");
  const [b, h, , d] = q.shape;
  const expectK = `[${b}, ${h}, Tk, ${d}] to match q`;
  if (k.rank !== 4 || k.shape[0] !== b || k.shape[1] !== h || k.shape[3] !== d) {
    throw new ShapeError("attention's k", k.shape, expectK);
  }
  if (v.rank !== 4 || v.shape[0] !== b || v.shape[1] !== h || v.shape[2] !== k.shape[2]) {
    throw new ShapeError("attention's v", v.shape, `[${b}, ${h}, ${k.shape[2]}, dv] to match q and k`);
  }
}

/** Scaled dot-product attention softmax(q·kᵀ·scale)·v over [B, heads, T, d] (App. F for its JVP). */
export function attention(q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions = {}): Tensor {
  checkShapes(q, k, v);
  const scale = options.scale ?? 1 / Math.sqrt(q.shape[3]!);
  const mode = options.mode ?? "direct";
  if (mode === "direct") {
    const p = softmax(mul(matMul(q, k, false, true), scale)); // [B, h, Tq, Tk]
    return matMul(p, v);
  }
  if (mode !== "blockwise")
    throw new JvpArgumentError("attention's mode", `"${mode}"`, '"direct" or "blockwise"');
  const blockSize = options.blockSize ?? 64;
  if (!Number.isInteger(blockSize) || blockSize < 1) {
    throw new JvpArgumentError("attention's blockSize", String(blockSize), "a positive integer");
  }
  return bind(attentionPrimitives.attentionBlockwise, [q, k, v], { scale, blockSize });
}
