// The FID InceptionV3 forward pass on tfjs (NHWC), following pytorch-fid's `InceptionV3` with
// `use_fid_inception=True`, `resize_input=True`, `normalize_input=True`, output block 3:
// bilinear resize to 299×299 (align_corners=False, i.e. half-pixel centres), inputs in [−1, 1],
// stem, Mixed_5b…Mixed_7c, global average pool → pool3 features [B, 2048].
// FID-specific details (pytorch-fid FIDInceptionA/C/E_1/E_2): the 3×3 average pools of the pool
// branches exclude the zero padding from their count (TF semantics, count_include_pad=False, which is
// what tfjs's "same" avgPool does), and Mixed_7c (E_2) max-pools in its pool branch.
// BatchNorm (inference) is folded into each conv: W·γ/√(var+ε), β − mean·γ/√(var+ε).
import { Rng, tf } from "@scm/backend";
import { formatShape } from "@scm/errors";
import type { NdArray } from "@scm/io";
import ndarray from "ndarray";
import { type NumericNdArray, toFloat64 } from "./arrays.js";
import { WeightsError } from "./errors.js";
import { type FeatureExtractor, matchChannels } from "./feature-extractor.js";
import {
  BN_EPS,
  type ConvSpec,
  INCEPTION_FEATURES,
  inceptionConvs,
  inceptionParameterShapes,
  MIXED,
  type MixedSpec,
  mixedConvs,
  STEM,
} from "./inception-layout.js";

/** One BasicConv2d with BatchNorm folded in: an HWIO filter and a bias. */
export interface FoldedConv {
  readonly filter: tf.Tensor4D; // [kh, kw, in, out]
  readonly bias: tf.Tensor1D; // [out]
}

/** The FID Inception's weights, folded and on the tfjs backend, by BasicConv2d name. */
export interface InceptionWeights {
  readonly convs: ReadonlyMap<string, FoldedConv>;
}

/** Options of the Inception forward pass. */
export interface InceptionOptions {
  /** Resize inputs to 299×299 first, as pytorch-fid (default true). */
  resize?: boolean;
}

/** The input side of the FID Inception. */
export const INCEPTION_INPUT_SIZE = 299;

/**
 * Checks a state_dict against the FID Inception layout and folds it into tfjs tensors. `fc.*`,
 * `AuxLogits.*` and `*.num_batches_tracked` are ignored; a missing or misshapen entry is a `WeightsError`.
 */
export function inceptionWeightsFromStateDict(
  stateDict: ReadonlyMap<string, NdArray> | Readonly<Record<string, NdArray>>,
  source = "the Inception weights",
): InceptionWeights {
  const dict = stateDict instanceof Map ? stateDict : new Map(Object.entries(stateDict));
  const expected = inceptionParameterShapes();
  const missing = [...expected.keys()].filter((k) => !dict.has(k));
  if (missing.length > 0) {
    throw new WeightsError(
      source,
      `${source} lacks ${missing.length} of the ${expected.size} FID Inception entries (first: ${missing.slice(0, 3).join(", ")}); expected pytorch-fid's state_dict names.`,
    );
  }
  const fc = dict.get("fc.weight");
  if (fc !== undefined && fc.shape[0] === 1000) {
    throw new WeightsError(
      source,
      `${source} has a 1000-class fc layer, i.e. torchvision's ImageNet Inception; expected pytorch-fid's FID Inception (1008 classes, pt_inception-2015-12-05).`,
    );
  }
  for (const [name, shape] of expected) {
    const got = dict.get(name)!.shape;
    if (got.join(",") !== shape.join(",")) {
      throw new WeightsError(
        source,
        `${source}: ${name} has shape ${formatShape(got)}; expected ${formatShape(shape)}.`,
      );
    }
  }
  return foldInceptionConvs(dict, inceptionConvs());
}

/** Folds the listed BasicConv2d layers of a (checked) state_dict into tfjs tensors. */
export function foldInceptionConvs(
  dict: ReadonlyMap<string, NdArray>,
  specs: readonly ConvSpec[],
): InceptionWeights {
  const convs = new Map<string, FoldedConv>();
  for (const spec of specs) convs.set(spec.name, foldConv(spec, dict));
  return { convs };
}

// W' [kh, kw, in, out] = W[out, in, kh, kw]·s[out], b = β − mean·s, s = γ/√(var + ε).
function foldConv(spec: ConvSpec, dict: ReadonlyMap<string, NdArray>): FoldedConv {
  const get = (k: string) => {
    const a = dict.get(`${spec.name}.${k}`);
    if (a === undefined)
      throw new WeightsError(
        "weights",
        `The weights have no ${spec.name}.${k}; expected the FID Inception layout.`,
      );
    return toFloat64(a as NumericNdArray);
  };
  const w = get("conv.weight"); // OIHW, row-major
  const gamma = get("bn.weight");
  const beta = get("bn.bias");
  const mean = get("bn.running_mean");
  const variance = get("bn.running_var");
  const o = spec.outChannels;
  const i = spec.inChannels;
  const [kh, kw] = spec.kernel;
  const scale = new Float64Array(o);
  const bias = new Float32Array(o);
  for (let c = 0; c < o; c++) {
    scale[c] = gamma[c]! / Math.sqrt(variance[c]! + BN_EPS);
    bias[c] = beta[c]! - mean[c]! * scale[c]!;
  }
  const filter = new Float32Array(kh * kw * i * o);
  let src = 0;
  for (let oc = 0; oc < o; oc++)
    for (let ic = 0; ic < i; ic++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++) filter[((y * kw + x) * i + ic) * o + oc] = w[src++]! * scale[oc]!;
  return { filter: tf.tensor4d(filter, [kh, kw, i, o]), bias: tf.tensor1d(bias) };
}

/** Frees the tensors of `weights`. */
export function disposeInceptionWeights(weights: InceptionWeights): void {
  for (const { filter, bias } of weights.convs.values()) {
    filter.dispose();
    bias.dispose();
  }
}

/**
 * A random state_dict in the FID Inception layout (He-normal convs, BatchNorm statistics near
 * identity), for tests and benchmarks: the architecture without the published weights.
 */
export function randomInceptionStateDict(seed: number): Map<string, NdArray> {
  const rng = Rng.seeded(seed);
  const out = new Map<string, NdArray>();
  for (const [name, shape] of inceptionParameterShapes()) {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (name.endsWith("conv.weight")) {
      const fanIn = shape[1]! * shape[2]! * shape[3]!;
      rng.fillNormal(data, 0, Math.sqrt(2 / fanIn));
    } else if (name.endsWith("bn.weight")) rng.fillUniform(data, 0.8, 1.2);
    else if (name.endsWith("bn.bias")) rng.fillNormal(data, 0, 0.05);
    else if (name.endsWith("running_mean")) rng.fillNormal(data, 0, 0.05);
    else rng.fillUniform(data, 0.8, 1.2); // running_var
    out.set(name, ndarray(data, shape) as NdArray);
  }
  return out;
}

/** One BasicConv2d: conv (valid or same padding), folded BatchNorm, ReLU. */
export function basicConv(weights: InceptionWeights, spec: ConvSpec, x: tf.Tensor4D): tf.Tensor4D {
  const conv = weights.convs.get(spec.name);
  if (conv === undefined)
    throw new WeightsError("weights", `The weights have no ${spec.name}; expected the full layout.`);
  const pad = spec.padding[0] === 0 && spec.padding[1] === 0 ? "valid" : "same";
  return tf.fused.conv2d({
    x,
    filter: conv.filter,
    strides: spec.stride,
    pad,
    bias: conv.bias,
    activation: "relu",
  });
}

/** One mixed block of the FID Inception (output channels concatenated in pytorch-fid's order). */
export function mixedBlock(weights: InceptionWeights, block: MixedSpec, x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const c = Object.fromEntries(mixedConvs(block).map((s) => [s.name.slice(block.name.length + 1), s]));
    const run = (name: string, input: tf.Tensor4D) => basicConv(weights, c[name]!, input);
    const chain = (names: string[], input: tf.Tensor4D) => names.reduce((h, n) => run(n, h), input);
    const avgPoolExcludingPad = () => tf.avgPool(x, 3, 1, "same"); // count_include_pad=False
    switch (block.kind) {
      case "FIDInceptionA":
        return tf.concat(
          [
            run("branch1x1", x),
            chain(["branch5x5_1", "branch5x5_2"], x),
            chain(["branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3"], x),
            run("branch_pool", avgPoolExcludingPad()),
          ],
          3,
        );
      case "InceptionB":
        return tf.concat(
          [
            run("branch3x3", x),
            chain(["branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3"], x),
            tf.maxPool(x, 3, 2, "valid"),
          ],
          3,
        );
      case "FIDInceptionC":
        return tf.concat(
          [
            run("branch1x1", x),
            chain(["branch7x7_1", "branch7x7_2", "branch7x7_3"], x),
            chain(
              ["branch7x7dbl_1", "branch7x7dbl_2", "branch7x7dbl_3", "branch7x7dbl_4", "branch7x7dbl_5"],
              x,
            ),
            run("branch_pool", avgPoolExcludingPad()),
          ],
          3,
        );
      case "InceptionD":
        return tf.concat(
          [
            chain(["branch3x3_1", "branch3x3_2"], x),
            chain(["branch7x7x3_1", "branch7x7x3_2", "branch7x7x3_3", "branch7x7x3_4"], x),
            tf.maxPool(x, 3, 2, "valid"),
          ],
          3,
        );
      case "FIDInceptionE_1":
      case "FIDInceptionE_2": {
        const b3 = run("branch3x3_1", x);
        const d3 = chain(["branch3x3dbl_1", "branch3x3dbl_2"], x);
        // E_1 average-pools without the padding; E_2 max-pools (the TF graph's quirk kept by pytorch-fid)
        const pooled = block.kind === "FIDInceptionE_1" ? avgPoolExcludingPad() : tf.maxPool(x, 3, 1, "same");
        return tf.concat(
          [
            run("branch1x1", x),
            run("branch3x3_2a", b3),
            run("branch3x3_2b", b3),
            run("branch3x3dbl_3a", d3),
            run("branch3x3dbl_3b", d3),
            run("branch_pool", pooled),
          ],
          3,
        );
      }
    }
  });
}

/**
 * pool3 features [B, 2048] of images [B, H, W, 3] in [−1, 1]; resized to 299×299 unless
 * `resize: false` (then any H, W ≥ 75 works: the network is fully convolutional).
 */
export function inceptionFeatures(
  weights: InceptionWeights,
  images: tf.Tensor4D,
  options: InceptionOptions = {},
): tf.Tensor2D {
  return tf.tidy(() => {
    let x: tf.Tensor4D =
      (options.resize ?? true)
        ? tf.image.resizeBilinear(images, [INCEPTION_INPUT_SIZE, INCEPTION_INPUT_SIZE], false, true)
        : images;
    x = basicConv(weights, STEM[0]!, x); // 149×149×32
    x = basicConv(weights, STEM[1]!, x); // 147×147×32
    x = basicConv(weights, STEM[2]!, x); // 147×147×64
    x = tf.maxPool(x, 3, 2, "valid"); // 73×73×64
    x = basicConv(weights, STEM[3]!, x); // 73×73×80
    x = basicConv(weights, STEM[4]!, x); // 71×71×192
    x = tf.maxPool(x, 3, 2, "valid"); // 35×35×192
    for (const block of MIXED) x = mixedBlock(weights, block, x); // … 8×8×2048
    return tf.mean(x, [1, 2]) as tf.Tensor2D; // adaptive average pool to 1×1: [B, 2048]
  });
}

/** The FID Inception as a `FeatureExtractor` (owns `weights`; `dispose` frees them). */
export function inceptionExtractor(
  weights: InceptionWeights,
  options: InceptionOptions = {},
): FeatureExtractor {
  return {
    name: "inception",
    dim: INCEPTION_FEATURES,
    channels: 3,
    features: (images) =>
      tf.tidy(() => {
        const rgb = matchChannels(images, 3);
        return inceptionFeatures(weights, rgb, options);
      }),
    dispose: () => disposeInceptionWeights(weights),
  };
}
