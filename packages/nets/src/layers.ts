// The layers every network is made of. Each is one definition (layer.ts): it declares its parameters
// in its scope (`weight`, `bias`, in tfjs layouts) and returns its forward pass, built only from
// @scm/jvp ops: parameters enter as tensors without tangents (symbolic zeros under `jvp`), so one
// definition serves the plain forward pass, `jvp`, and tfjs's reverse mode alike.
import type { Rng, Tensor } from "@scm/backend";
import {
  add,
  avgPool,
  convSameBias,
  dropout,
  dropoutMask,
  groupNorm,
  layerNorm,
  mul,
  reshape,
  resizeNearestNeighbor,
  rowsMatMul,
  scaleShift,
} from "@scm/jvp";
import { fanIn, type Layer, ones, type ParamRef, type ParamScope, trainable, zeros } from "./layer.js";

/** Options of the dense and convolution layers. */
export interface LayerOptions {
  /** Weights start at exactly 0 (ADM's zero_module, DiT's adaLN-Zero): the layer's output starts at 0. */
  readonly zeroInit?: boolean;
  /** Whether the layer has a bias (default true). */
  readonly bias?: boolean;
}

/** A layer's declared `weight` and (unless `bias: false`) `bias`. */
export interface WeightAndBias {
  readonly weight: ParamRef;
  readonly bias: ParamRef | undefined;
}

/** Declares a dense layer's `weight [in, out]` (y = x·W + b, the transpose of torch.nn.Linear) and `bias [out]`. */
export function linearParams(
  scope: ParamScope,
  inF: number,
  outF: number,
  o: LayerOptions = {},
): WeightAndBias {
  const weight = scope.declare("weight", trainable([inF, outF], o.zeroInit ? zeros : fanIn(inF)));
  const bias = (o.bias ?? true) ? scope.declare("bias", trainable([outF], zeros)) : undefined;
  return { weight, bias };
}

/** y = x·W + b over the last axis: x [..., in] → [..., out]. */
export function linear(scope: ParamScope, inF: number, outF: number, o: LayerOptions = {}): Layer {
  const { weight, bias } = linearParams(scope, inF, outF, o);
  return (p, x) => {
    const w = weight(p); // [in, out]
    const lead = x.shape.slice(0, -1);
    const x2 = x.rank === 2 ? x : reshape(x, [-1, inF]); // [N, in]
    let y = rowsMatMul(x2, w); // [N, out]: matMul, with a chunked weight gradient on webgpu
    if (bias !== undefined) y = add(y, bias(p));
    return x.rank === 2 ? y : reshape(y, [...lead, outF]);
  };
}

/** Declares a k×k convolution's `weight [k, k, in, out]` (tfjs's filter layout, NHWC) and `bias [out]`. */
export function convParams(
  scope: ParamScope,
  inC: number,
  outC: number,
  k: number,
  o: LayerOptions = {},
): WeightAndBias {
  const weight = scope.declare(
    "weight",
    trainable([k, k, inC, outC], o.zeroInit ? zeros : fanIn(k * k * inC)),
  );
  const bias = (o.bias ?? true) ? scope.declare("bias", trainable([outC], zeros)) : undefined;
  return { weight, bias };
}

/**
 * A stride-1, "same"-padded k×k convolution: x [B, H, W, in] → [B, H, W, out]. Which kernel runs
 * (fused conv + bias, a matMul for 1×1, tfjs's conv2d with a fast filter gradient) is @scm/jvp's
 * `convSameBias`'s choice, per backend.
 */
export function conv(scope: ParamScope, inC: number, outC: number, k: number, o: LayerOptions = {}): Layer {
  const { weight, bias } = convParams(scope, inC, outC, k, o);
  return (p, x) => convSameBias(x, weight(p), bias?.(p)); // [B, H, W, out]
}

/** GroupNorm's group count for C channels (EDM: min(32, C/4), lowered until it divides C). */
export function groupsFor(c: number): number {
  let g = Math.max(1, Math.min(32, Math.floor(c / 4)));
  while (c % g !== 0) g--;
  return g;
}

/** Declares a normalisation's affine `weight [C]` = 1 and `bias [C]` = 0 (torch.nn.GroupNorm / LayerNorm). */
function normParams(scope: ParamScope, c: number): [ParamRef, ParamRef] {
  return [scope.declare("weight", trainable([c], ones)), scope.declare("bias", trainable([c], zeros))];
}

/** GroupNorm with learned affine (torch.nn.GroupNorm): x [B, H, W, C] → [B, H, W, C]. */
export function groupNormAffine(scope: ParamScope, c: number, eps = 1e-6): Layer {
  const [weight, bias] = normParams(scope, c);
  // one fused pass on native
  return (p, x) => scaleShift(groupNorm(x, groupsFor(x.shape[3]!), eps), weight(p), bias(p));
}

/** LayerNorm over the last axis with learned affine (torch.nn.LayerNorm): [..., C] → [..., C]. */
export function layerNormAffine(scope: ParamScope, c: number, eps = 1e-6): Layer {
  const [weight, bias] = normParams(scope, c);
  return (p, x) => {
    const y = layerNorm(x, eps);
    const [w, b] = [weight(p), bias(p)];
    return x.rank < 2 ? add(mul(y, w), b) : scaleShift(y, w, b); // scaleShift needs a batch axis
  };
}

/** 2× downsampling by 2×2 average pooling (DDPM++'s resample filter [1, 1]): [B, H, W, C] → [B, H/2, W/2, C]. */
export function downsample(x: Tensor): Tensor {
  return avgPool(x, 2, 2, "valid");
}

/** 2× nearest-neighbour upsampling (the transpose of filter [1, 1]): [B, H, W, C] → [B, 2H, 2W, C]. */
export function upsample(x: Tensor): Tensor {
  return resizeNearestNeighbor(x, [2 * x.shape[1]!, 2 * x.shape[2]!]);
}

/**
 * Dropout layers of one forward call: layer k (in call order) draws its mask from `rng.at(k)`, so the
 * same Rng gives the same masks in the JVP pass and the gradient pass (docs/math.md §3).
 */
export interface DropoutState {
  readonly rng: Rng | undefined;
  readonly rate: number;
  /** The index of the next dropout layer. */
  next: number;
}

/** A fresh dropout state for one forward call; with no `rng` or rate 0 every layer is the identity. */
export function dropoutState(rng: Rng | undefined, rate: number): DropoutState {
  return { rng, rate, next: 0 };
}

/** Applies the next dropout layer to x (any shape); the mask has x's shape and no tangent. */
export function applyDropout(state: DropoutState, x: Tensor): Tensor {
  const k = state.next++;
  if (state.rng === undefined || state.rate === 0) return x;
  return dropout(x, dropoutMask(state.rng.at(k), x.shape, state.rate));
}
