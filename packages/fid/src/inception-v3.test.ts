import { Rng, tf } from "@scm/backend";
import type { NdArray } from "@scm/io";
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { WeightsError } from "./errors.js";
import {
  inceptionConvs,
  inceptionParameterShapes,
  MIXED,
  type MixedSpec,
  mixedConvs,
} from "./inception-layout.js";
import {
  disposeInceptionWeights,
  foldInceptionConvs,
  inceptionFeatures,
  inceptionWeightsFromStateDict,
  mixedBlock,
  randomInceptionStateDict,
} from "./inception-v3.js";

// A float64 reference of a 2048-channel block, or four passes of the whole network through tfjs's cpu
// kernels, is inherent work: about 10 s idle, several times that at load 5 on two cores.
const INHERENT = 300_000;

// ---- A float64 NCHW reference transcribed from torchvision's inception.py and pytorch-fid's FID blocks,
// ---- reading the raw (unfolded) PyTorch parameters. Independent of inception-layout.ts on purpose.
interface Chw {
  c: number;
  h: number;
  w: number;
  data: Float64Array;
}

function refConv(
  dict: Map<string, NdArray>,
  name: string,
  x: Chw,
  [kh, kw]: [number, number],
  stride = 1,
  [ph, pw]: [number, number] = [0, 0],
): Chw {
  const wt = dict.get(`${name}.conv.weight`)!;
  const p = (k: string) => dict.get(`${name}.bn.${k}`)!;
  const o = wt.shape[0]!;
  const h = Math.floor((x.h + 2 * ph - kh) / stride) + 1;
  const w = Math.floor((x.w + 2 * pw - kw) / stride) + 1;
  const out = new Float64Array(o * h * w);
  for (let oc = 0; oc < o; oc++) {
    const scale = Number(p("weight").get(oc)) / Math.sqrt(Number(p("running_var").get(oc)) + 0.001);
    for (let yy = 0; yy < h; yy++)
      for (let xx = 0; xx < w; xx++) {
        let s = 0;
        for (let ic = 0; ic < x.c; ic++)
          for (let dy = 0; dy < kh; dy++)
            for (let dx = 0; dx < kw; dx++) {
              const iy = yy * stride + dy - ph;
              const ix = xx * stride + dx - pw;
              if (iy < 0 || iy >= x.h || ix < 0 || ix >= x.w) continue;
              s += Number(wt.get(oc, ic, dy, dx)) * x.data[(ic * x.h + iy) * x.w + ix]!;
            }
        const bn = (s - Number(p("running_mean").get(oc))) * scale + Number(p("bias").get(oc));
        out[(oc * h + yy) * w + xx] = Math.max(0, bn);
      }
  }
  return { c: o, h, w, data: out };
}

// F.avg_pool2d(k=3, s=1, p=1, count_include_pad=False) or F.max_pool2d(k=3, s, p)
function refPool(x: Chw, kind: "avg" | "max", stride: number, pad: number): Chw {
  const h = Math.floor((x.h + 2 * pad - 3) / stride) + 1;
  const w = Math.floor((x.w + 2 * pad - 3) / stride) + 1;
  const out = new Float64Array(x.c * h * w);
  for (let c = 0; c < x.c; c++)
    for (let yy = 0; yy < h; yy++)
      for (let xx = 0; xx < w; xx++) {
        let acc = kind === "avg" ? 0 : Number.NEGATIVE_INFINITY;
        let count = 0;
        for (let dy = 0; dy < 3; dy++)
          for (let dx = 0; dx < 3; dx++) {
            const iy = yy * stride + dy - pad;
            const ix = xx * stride + dx - pad;
            if (iy < 0 || iy >= x.h || ix < 0 || ix >= x.w) continue;
            const v = x.data[(c * x.h + iy) * x.w + ix]!;
            acc = kind === "avg" ? acc + v : Math.max(acc, v);
            count++;
          }
        out[(c * h + yy) * w + xx] = kind === "avg" ? acc / count : acc;
      }
  return { c: x.c, h, w, data: out };
}

function cat(parts: Chw[]): Chw {
  const c = parts.reduce((s, p) => s + p.c, 0);
  const data = new Float64Array(c * parts[0]!.h * parts[0]!.w);
  let at = 0;
  for (const p of parts) {
    data.set(p.data, at);
    at += p.data.length;
  }
  return { c, h: parts[0]!.h, w: parts[0]!.w, data };
}

// The forward methods of FIDInceptionA, InceptionB, FIDInceptionC, InceptionD, FIDInceptionE_1/_2.
function refBlock(dict: Map<string, NdArray>, block: MixedSpec, x: Chw): Chw {
  const n = (b: string) => `${block.name}.${b}`;
  const conv = (b: string, input: Chw, k: [number, number], s = 1, p: [number, number] = [0, 0]) =>
    refConv(dict, n(b), input, k, s, p);
  switch (block.kind) {
    case "FIDInceptionA":
      return cat([
        conv("branch1x1", x, [1, 1]),
        conv("branch5x5_2", conv("branch5x5_1", x, [1, 1]), [5, 5], 1, [2, 2]),
        conv(
          "branch3x3dbl_3",
          conv("branch3x3dbl_2", conv("branch3x3dbl_1", x, [1, 1]), [3, 3], 1, [1, 1]),
          [3, 3],
          1,
          [1, 1],
        ),
        conv("branch_pool", refPool(x, "avg", 1, 1), [1, 1]),
      ]);
    case "FIDInceptionC": {
      const b7 = conv(
        "branch7x7_3",
        conv("branch7x7_2", conv("branch7x7_1", x, [1, 1]), [1, 7], 1, [0, 3]),
        [7, 1],
        1,
        [3, 0],
      );
      let d = conv("branch7x7dbl_1", x, [1, 1]);
      d = conv("branch7x7dbl_2", d, [7, 1], 1, [3, 0]);
      d = conv("branch7x7dbl_3", d, [1, 7], 1, [0, 3]);
      d = conv("branch7x7dbl_4", d, [7, 1], 1, [3, 0]);
      d = conv("branch7x7dbl_5", d, [1, 7], 1, [0, 3]);
      return cat([conv("branch1x1", x, [1, 1]), b7, d, conv("branch_pool", refPool(x, "avg", 1, 1), [1, 1])]);
    }
    case "FIDInceptionE_1":
    case "FIDInceptionE_2": {
      const b3 = conv("branch3x3_1", x, [1, 1]);
      const d3 = conv("branch3x3dbl_2", conv("branch3x3dbl_1", x, [1, 1]), [3, 3], 1, [1, 1]);
      const pooled = block.kind === "FIDInceptionE_1" ? refPool(x, "avg", 1, 1) : refPool(x, "max", 1, 1);
      return cat([
        conv("branch1x1", x, [1, 1]),
        conv("branch3x3_2a", b3, [1, 3], 1, [0, 1]),
        conv("branch3x3_2b", b3, [3, 1], 1, [1, 0]),
        conv("branch3x3dbl_3a", d3, [1, 3], 1, [0, 1]),
        conv("branch3x3dbl_3b", d3, [3, 1], 1, [1, 0]),
        conv("branch_pool", pooled, [1, 1]),
      ]);
    }
    case "InceptionB":
      return cat([
        conv("branch3x3", x, [3, 3], 2),
        conv(
          "branch3x3dbl_3",
          conv("branch3x3dbl_2", conv("branch3x3dbl_1", x, [1, 1]), [3, 3], 1, [1, 1]),
          [3, 3],
          2,
        ),
        refPool(x, "max", 2, 0),
      ]);
    case "InceptionD":
      return cat([
        conv("branch3x3_2", conv("branch3x3_1", x, [1, 1]), [3, 3], 2),
        conv(
          "branch7x7x3_4",
          conv(
            "branch7x7x3_3",
            conv("branch7x7x3_2", conv("branch7x7x3_1", x, [1, 1]), [1, 7], 1, [0, 3]),
            [7, 1],
            1,
            [3, 0],
          ),
          [3, 3],
          2,
        ),
        refPool(x, "max", 2, 0),
      ]);
  }
}

// The random weights of one block only (building all 21.8M parameters per test would be wasteful).
function blockStateDict(block: MixedSpec, seed: number): Map<string, NdArray> {
  const full = inceptionParameterShapes();
  const rng = Rng.seeded(seed);
  const out = new Map<string, NdArray>();
  for (const spec of mixedConvs(block)) {
    for (const suffix of ["conv.weight", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"]) {
      const name = `${spec.name}.${suffix}`;
      const shape = full.get(name)!;
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
      if (suffix === "conv.weight")
        rng.fillNormal(data, 0, Math.sqrt(2 / (shape[1]! * shape[2]! * shape[3]!)));
      else if (suffix === "bn.running_var" || suffix === "bn.weight") rng.fillUniform(data, 0.5, 1.5);
      else rng.fillNormal(data, 0, 0.1);
      out.set(name, ndarray(data, shape) as NdArray);
    }
  }
  return out;
}

describe("FID Inception layout", () => {
  it("has pytorch-fid's 94 BasicConv2d layers and 21,785,568 parameters without fc", () => {
    // torchvision documents inception_v3 with 27,161,264 parameters (aux_logits, 1000 classes);
    // minus AuxLogits (conv0 98,304 + bn 256; conv1 2,457,600 + bn 1,536; fc 769,000 = 3,326,696)
    // and fc (2,049,000) that leaves 21,785,568. BatchNorm running statistics are buffers, not parameters.
    const shapes = inceptionParameterShapes();
    let parameters = 0;
    for (const [name, shape] of shapes) {
      if (!name.includes("running_")) parameters += shape.reduce((a, b) => a * b, 1);
    }
    expect(inceptionConvs()).toHaveLength(94);
    expect(shapes.size).toBe(94 * 5);
    expect(parameters).toBe(27_161_264 - 3_326_696 - 2_049_000);
  });

  it("uses pytorch-fid's state_dict names and OIHW shapes", () => {
    const shapes = inceptionParameterShapes();
    expect(shapes.get("Conv2d_1a_3x3.conv.weight")).toEqual([32, 3, 3, 3]);
    expect(shapes.get("Mixed_5b.branch_pool.conv.weight")).toEqual([32, 192, 1, 1]);
    expect(shapes.get("Mixed_6e.branch7x7dbl_5.conv.weight")).toEqual([192, 192, 1, 7]);
    expect(shapes.get("Mixed_7a.branch7x7x3_4.conv.weight")).toEqual([192, 192, 3, 3]);
    expect(shapes.get("Mixed_7c.branch3x3dbl_3b.bn.running_var")).toEqual([384]);
    expect([...shapes.keys()].some((k) => k.startsWith("fc.") || k.startsWith("AuxLogits"))).toBe(false);
  });

  it("chains channel counts from the stem (192) block to block up to 2048", () => {
    expect(MIXED[0]!.inChannels).toBe(inceptionConvs()[4]!.outChannels);
    for (let i = 1; i < MIXED.length; i++) expect(MIXED[i]!.inChannels).toBe(MIXED[i - 1]!.outChannels);
    expect(MIXED.at(-1)!.outChannels).toBe(2048);
  });
});

describe("mixedBlock", () => {
  // Sizes kept small so the float64 reference stays cheap; float32 vs float64 over fan-ins of up to
  // 2048·1 or 448·9 products agrees to ~1e-5 relative, so 1e-4 of the largest output is the bound.
  it.each([
    ["Mixed_5b", 5],
    ["Mixed_6a", 7],
    ["Mixed_6b", 4],
    ["Mixed_7a", 5],
    ["Mixed_7b", 3],
    ["Mixed_7c", 3],
  ])(
    "matches the PyTorch definition of %s on a square input of side %i",
    (name, size) => {
      const block = MIXED.find((b) => b.name === name)!;
      const dict = blockStateDict(block, 7);
      const c = block.inChannels;
      const input = Rng.seeded(8).fillNormal(new Float64Array(c * size * size)); // CHW
      const expected = refBlock(dict, block, { c, h: size, w: size, data: input });
      const weights = foldInceptionConvs(dict, mixedConvs(block));
      const before = tf.memory().numTensors;
      const nhwc = tf.tidy(
        () =>
          tf.transpose(
            tf.tensor4d(Float32Array.from(input), [1, c, size, size]),
            [0, 2, 3, 1],
          ) as tf.Tensor4D,
      );
      const out = mixedBlock(weights, block, nhwc);
      expect(out.shape).toEqual([1, expected.h, expected.w, block.outChannels]);
      const got = tf.tidy(() => tf.transpose(out, [0, 3, 1, 2]).dataSync());
      let scale = 0;
      let err = 0;
      for (let i = 0; i < got.length; i++) {
        scale = Math.max(scale, Math.abs(expected.data[i]!));
        err = Math.max(err, Math.abs(got[i]! - expected.data[i]!));
      }
      expect(scale).toBeGreaterThan(0.1); // activations are alive, so the comparison means something
      expect(err / scale).toBeLessThan(1e-4);
      tf.dispose([nhwc, out]);
      expect(tf.memory().numTensors).toBe(before);
      disposeInceptionWeights(weights);
    },
    INHERENT,
  );
});

describe("inceptionFeatures", () => {
  // One set of random weights with BatchNorm as the identity (γ = 1, β = 0, mean 0, var = 1 − ε):
  // then every layer (bias-free conv, ReLU, max/avg pools, mean) is positively homogeneous.
  const dict = randomInceptionStateDict(3);
  for (const [name, a] of dict) {
    if (name.endsWith("bn.weight")) (a.data as Float32Array).fill(1);
    if (name.endsWith("bn.bias") || name.endsWith("running_mean")) (a.data as Float32Array).fill(0);
    if (name.endsWith("running_var")) (a.data as Float32Array).fill(1 - 0.001);
  }

  it(
    "maps [B, 75, 75, 3] to [B, 2048] non-negative features, image by image, without leaking tensors",
    () => {
      // 75×75 is the smallest input the valid-padded stem and the stride-2 blocks accept (→ 1×1 at Mixed_7a)
      const weights = inceptionWeightsFromStateDict(dict);
      const before = tf.memory().numTensors;
      const x = tf.tidy(() =>
        tf.tensor4d(Rng.seeded(4).fillUniform(new Float32Array(2 * 75 * 75 * 3), -1, 1), [2, 75, 75, 3]),
      );
      const both = inceptionFeatures(weights, x, { resize: false });
      const first = tf.tidy(() =>
        inceptionFeatures(weights, tf.slice(x, [0, 0, 0, 0], [1, -1, -1, -1]), { resize: false }),
      );
      // homogeneity on image 1 alone: four image passes in all, not five
      const second = tf.tidy(() =>
        inceptionFeatures(weights, tf.mul(tf.slice(x, [1, 0, 0, 0], [1, -1, -1, -1]), 2), { resize: false }),
      );
      expect(both.shape).toEqual([2, 2048]);
      const b = both.dataSync();
      const f = first.dataSync();
      const s = second.dataSync();
      expect(Math.min(...b)).toBeGreaterThanOrEqual(0); // ReLU then average pooling
      let max = 0;
      let batchErr = 0;
      let homErr = 0;
      for (let i = 0; i < 2048; i++) {
        max = Math.max(max, b[i]!);
        batchErr = Math.max(batchErr, Math.abs(f[i]! - b[i]!));
        homErr = Math.max(homErr, Math.abs(s[i]! - 2 * b[2048 + i]!));
      }
      expect(max).toBeGreaterThan(0);
      // inference BatchNorm: image 0's features do not depend on its batch; float32 summation order only
      expect(batchErr / max).toBeLessThan(1e-5);
      // f(2x) = 2·f(x) when every layer is positively homogeneous: no stray bias, and the padded average
      // pools divide by a count that does not depend on x; float32 rounding through 94 layers ~1e-5
      expect(homErr / max).toBeLessThan(1e-4);
      tf.dispose([x, both, first, second]);
      expect(tf.memory().numTensors).toBe(before);
      disposeInceptionWeights(weights);
    },
    INHERENT,
  );
});

describe("inceptionWeightsFromStateDict", () => {
  it("names the missing entries", () => {
    const partial = new Map([
      ["Conv2d_1a_3x3.conv.weight", ndarray(new Float32Array(864), [32, 3, 3, 3]) as NdArray],
    ]);
    expect(() => inceptionWeightsFromStateDict(partial, "w.pth")).toThrow(WeightsError);
    expect(() => inceptionWeightsFromStateDict(partial, "w.pth")).toThrow(
      "w.pth lacks 469 of the 470 FID Inception entries",
    );
  });

  it("rejects torchvision's 1000-class ImageNet Inception", () => {
    // only the names matter here: zero-filled entries (allocated, not drawn from an RNG)
    const dict = new Map<string, NdArray>();
    for (const [name, shape] of inceptionParameterShapes())
      dict.set(name, ndarray(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape) as NdArray);
    dict.set("fc.weight", ndarray(new Float32Array(1000 * 2048), [1000, 2048]) as NdArray);
    expect(() => inceptionWeightsFromStateDict(dict, "tv.pth")).toThrow(/torchvision's ImageNet Inception/);
  });
});

describe("bilinear resize (as inceptionFeatures calls it)", () => {
  // PyTorch's F.interpolate(mode="bilinear", align_corners=False) (aten upsample_bilinear2d):
  // src = max(0, (dst + ½)·in/out − ½), i0 = ⌊src⌋, i1 = min(i0 + 1, in − 1), λ = src − i0.
  function torchBilinear(x: Float64Array, h: number, w: number, oh: number, ow: number): Float64Array {
    const axis = (d: number, n: number, o: number) => {
      const src = Math.max(0, ((d + 0.5) * n) / o - 0.5);
      const i0 = Math.floor(src);
      return [i0, Math.min(i0 + 1, n - 1), src - i0] as const;
    };
    const out = new Float64Array(oh * ow);
    for (let y = 0; y < oh; y++)
      for (let xx = 0; xx < ow; xx++) {
        const [y0, y1, ly] = axis(y, h, oh);
        const [x0, x1, lx] = axis(xx, w, ow);
        const top = x[y0 * w + x0]! * (1 - lx) + x[y0 * w + x1]! * lx;
        const bottom = x[y1 * w + x0]! * (1 - lx) + x[y1 * w + x1]! * lx;
        out[y * ow + xx] = top * (1 - ly) + bottom * ly;
      }
    return out;
  }

  it.each([
    [5, 4, 9, 7],
    [9, 8, 4, 3],
    [28, 28, 299, 299],
  ])("matches align_corners=False from %i×%i to %i×%i", (h, w, oh, ow) => {
    const x = Rng.seeded(h * w).fillUniform(new Float64Array(h * w), -1, 1);
    const expected = torchBilinear(x, h, w, oh, ow);
    const got = tf.tidy(() =>
      tf.image
        .resizeBilinear(tf.tensor4d(Float32Array.from(x), [1, h, w, 1]), [oh, ow], false, true)
        .dataSync(),
    );
    // float32 interpolation of values in [−1, 1]. The source coordinate (up to 28) rounds to
    // ~28·2⁻²⁴ ≈ 1.7e-6 px; with slopes up to 2 per pixel that is ≤ 4e-6 in value (wasm's kernel shows
    // 3e-6; cpu's ~1e-7).
    let err = 0;
    for (let i = 0; i < expected.length; i++) err = Math.max(err, Math.abs(got[i]! - expected[i]!));
    expect(err).toBeLessThan(5e-6);
  });
});
