// The layers every network is made of, as pure functions of (params, name, activations), built only
// from @scm/jvp ops: parameters enter as tensors without tangents (symbolic zeros under `jvp`), so one
// definition serves the plain forward pass, `jvp`, and tfjs's reverse mode alike.
import { FusedKernel, fusedKernelAvailable, type Rng, type Tensor } from "@scm/backend";
import {
  add,
  avgPool,
  conv2dBias,
  dropout,
  dropoutMask,
  groupNorm,
  layerNorm,
  mul,
  reshape,
  resizeNearestNeighbor,
  scaleShift,
} from "@scm/jvp";
import { convSame, rowsMatMul } from "./conv.js";
import { type Params, param } from "./params.js";

/** y = x·W + b over the last axis: x [..., in] → [..., out] (`linearSpec` names and layout). */
export function linear(p: Params, name: string, x: Tensor): Tensor {
  const w = param(p, `${name}.weight`); // [in, out]
  const b = p[`${name}.bias`]; // [out] or absent
  const inF = x.shape[x.rank - 1]!;
  const lead = x.shape.slice(0, -1);
  const x2 = x.rank === 2 ? x : reshape(x, [-1, inF]); // [N, in]
  let y = rowsMatMul(x2, w); // [N, out]
  if (b !== undefined) y = add(y, b);
  return x.rank === 2 ? y : reshape(y, [...lead, w.shape[1]!]);
}

/**
 * A stride-1, "same"-padded convolution: x [B, H, W, in] → [B, H, W, out] (`convSpec` names). Where
 * the backend fuses the bias into its conv (native) it is @scm/jvp's conv2dBias, any k; elsewhere a 1×1
 * conv is a matMul over pixels and a k×k one `convSame` (tfjs's conv2d, see conv.ts for its gradient),
 * then + bias.
 */
export function conv(p: Params, name: string, x: Tensor): Tensor {
  const w = param(p, `${name}.weight`); // [k, k, in, out]
  const b = p[`${name}.bias`];
  // A backend that adds the bias inside its conv (native) saves the Add pass over the output.
  if (b !== undefined && fusedKernelAvailable(FusedKernel.conv2dBias)) return conv2dBias(x, w, b, 1, "same");
  const [k, , cin, cout] = w.shape as [number, number, number, number];
  const y =
    k === 1
      ? reshape(rowsMatMul(reshape(x, [-1, cin]), reshape(w, [cin, cout])), [...x.shape.slice(0, -1), cout])
      : convSame(x, w); // [B, H, W, out]
  return b === undefined ? y : add(y, b);
}

/** GroupNorm's group count for C channels (EDM: min(32, C/4), lowered until it divides C). */
export function groupsFor(c: number): number {
  let g = Math.max(1, Math.min(32, Math.floor(c / 4)));
  while (c % g !== 0) g--;
  return g;
}

/** GroupNorm with learned affine (torch.nn.GroupNorm): x [B, H, W, C] → [B, H, W, C]. */
export function groupNormAffine(p: Params, name: string, x: Tensor, eps = 1e-6): Tensor {
  const y = groupNorm(x, groupsFor(x.shape[3]!), eps);
  return scaleShift(y, param(p, `${name}.weight`), param(p, `${name}.bias`)); // one fused pass on native
}

/** LayerNorm over the last axis with learned affine (torch.nn.LayerNorm): [..., C] → [..., C]. */
export function layerNormAffine(p: Params, name: string, x: Tensor, eps = 1e-6): Tensor {
  const y = layerNorm(x, eps);
  const [w, b] = [param(p, `${name}.weight`), param(p, `${name}.bias`)];
  return x.rank < 2 ? add(mul(y, w), b) : scaleShift(y, w, b); // scaleShift needs a batch axis
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
