import { describe, expect, it } from "vitest";
import { type ConvGeometry, packConvGeometry } from "./conv-geometry.js";
import { loadNativeAddon } from "./load-addon.js";
import { built, data, relError, suite } from "./testing/fixtures.js";

interface Case {
  batch: number;
  h: number;
  w: number;
  c: number;
  o: number;
  fh: number;
  fw: number;
  stride: [number, number];
  dilation: [number, number];
  pad: [number, number, number, number]; // top, bottom, left, right
}

function geometry(k: Case): ConvGeometry {
  const [st, sb, sl, sr] = k.pad;
  const effH = (k.fh - 1) * k.dilation[0] + 1;
  const effW = (k.fw - 1) * k.dilation[1] + 1;
  return {
    batch: k.batch,
    inHeight: k.h,
    inWidth: k.w,
    inChannels: k.c,
    outHeight: Math.floor((k.h + st + sb - effH) / k.stride[0]) + 1,
    outWidth: Math.floor((k.w + sl + sr - effW) / k.stride[1]) + 1,
    outChannels: k.o,
    filterHeight: k.fh,
    filterWidth: k.fw,
    strideHeight: k.stride[0],
    strideWidth: k.stride[1],
    dilationHeight: k.dilation[0],
    dilationWidth: k.dilation[1],
    padTop: st,
    padLeft: sl,
  };
}

// Calls visit(xIndex, wIndex, yIndex) for every product term of the convolution (the definition).
function forEachTerm(g: ConvGeometry, visit: (xi: number, wi: number, yi: number) => void): void {
  for (let b = 0; b < g.batch; b++)
    for (let oh = 0; oh < g.outHeight; oh++)
      for (let ow = 0; ow < g.outWidth; ow++)
        for (let kh = 0; kh < g.filterHeight; kh++) {
          const ih = oh * g.strideHeight - g.padTop + kh * g.dilationHeight;
          if (ih < 0 || ih >= g.inHeight) continue;
          for (let kw = 0; kw < g.filterWidth; kw++) {
            const iw = ow * g.strideWidth - g.padLeft + kw * g.dilationWidth;
            if (iw < 0 || iw >= g.inWidth) continue;
            for (let c = 0; c < g.inChannels; c++) {
              const xi = ((b * g.inHeight + ih) * g.inWidth + iw) * g.inChannels + c;
              const wBase = ((kh * g.filterWidth + kw) * g.inChannels + c) * g.outChannels;
              const yBase = ((b * g.outHeight + oh) * g.outWidth + ow) * g.outChannels;
              for (let o = 0; o < g.outChannels; o++) visit(xi, wBase + o, yBase + o);
            }
          }
        }
}

const cases: Case[] = [
  // odd sizes, 'same'-style padding
  { batch: 2, h: 7, w: 9, c: 3, o: 5, fh: 3, fw: 3, stride: [1, 1], dilation: [1, 1], pad: [1, 1, 1, 1] },
  // stride 2, asymmetric padding (tfjs 'same' with an even overhang pads more at the bottom/right)
  { batch: 3, h: 17, w: 19, c: 13, o: 7, fh: 3, fw: 3, stride: [2, 2], dilation: [1, 1], pad: [0, 1, 0, 1] },
  // 'valid', non-square filter, batch 1
  { batch: 1, h: 11, w: 6, c: 4, o: 6, fh: 4, fw: 2, stride: [1, 1], dilation: [1, 1], pad: [0, 0, 0, 0] },
  // dilation 2 and explicit padding
  { batch: 2, h: 10, w: 12, c: 2, o: 3, fh: 3, fw: 3, stride: [1, 2], dilation: [2, 2], pad: [2, 1, 0, 3] },
  // pointwise 1x1 (the plain-GEMM path)
  { batch: 2, h: 5, w: 3, c: 8, o: 9, fh: 1, fw: 1, stride: [1, 1], dilation: [1, 1], pad: [0, 0, 0, 0] },
  // 1x1 with stride 2 (not pointwise: the im2col path)
  { batch: 1, h: 6, w: 7, c: 3, o: 2, fh: 1, fw: 1, stride: [2, 2], dilation: [1, 1], pad: [0, 0, 0, 0] },
  // filter larger than the image, padded
  { batch: 1, h: 2, w: 3, c: 1, o: 4, fh: 5, fw: 5, stride: [1, 1], dilation: [1, 1], pad: [2, 2, 2, 2] },
  // stride 1, an even filter padded only at the bottom/right (the input gradient's flipped padding)
  { batch: 2, h: 6, w: 5, c: 3, o: 4, fh: 2, fw: 2, stride: [1, 1], dilation: [1, 1], pad: [0, 1, 0, 1] },
  // channel counts that are not multiples of the AVX-512 tiles (16 floats) on both sides
  { batch: 2, h: 9, w: 7, c: 70, o: 33, fh: 3, fw: 3, stride: [1, 1], dilation: [1, 1], pad: [1, 1, 1, 1] },
  // wide enough that backprop-input chunks split an image (k·OW·rows > one chunk)
  { batch: 2, h: 32, w: 32, c: 64, o: 8, fh: 3, fw: 3, stride: [1, 1], dilation: [1, 1], pad: [1, 1, 1, 1] },
  // one image split across threads by chunks
  { batch: 1, h: 32, w: 32, c: 64, o: 8, fh: 3, fw: 3, stride: [1, 1], dilation: [1, 1], pad: [1, 1, 1, 1] },
];

function label(k: Case): string {
  return `${k.batch}x${k.h}x${k.w}x${k.c} * ${k.fh}x${k.fw}x${k.o} s${k.stride} d${k.dilation} p${k.pad}`;
}

describe.skipIf(!built)(suite("conv2d and its gradients"), () => {
  for (const k of cases) {
    it(`agree with the definition for ${label(k)}`, () => {
      const addon = loadNativeAddon();
      const g = geometry(k);
      const packed = packConvGeometry(g);
      const xLen = g.batch * g.inHeight * g.inWidth * g.inChannels;
      const wLen = g.filterHeight * g.filterWidth * g.inChannels * g.outChannels;
      const yLen = g.batch * g.outHeight * g.outWidth * g.outChannels;
      const x = data(xLen, 1);
      const w = data(wLen, 2);
      const dy = data(yLen, 3);
      const yRef = new Float64Array(yLen);
      const dxRef = new Float64Array(xLen);
      const dwRef = new Float64Array(wLen);
      forEachTerm(g, (xi, wi, yi) => {
        yRef[yi]! += x[xi]! * w[wi]!;
        dxRef[xi]! += dy[yi]! * w[wi]!;
        dwRef[wi]! += x[xi]! * dy[yi]!;
      });
      const y = new Float32Array(yLen).fill(Number.NaN); // every entry must be written
      const dx = new Float32Array(xLen).fill(Number.NaN);
      const dw = new Float32Array(wLen).fill(Number.NaN);
      addon.conv2d(x, w, y, packed);
      addon.conv2dBackpropInput(dy, w, dx, packed);
      addon.conv2dBackpropFilter(x, dy, dw, packed);
      // float32 sums in another order: error ~ sqrt(terms)·2^-24 of the scale, terms = the length of
      // each sum (fh·fw·c forward, fh·fw·o into dx, batch·oh·ow into dw).
      const sqrt = Math.sqrt;
      expect(relError(y, yRef)).toBeLessThan(1e-5 * sqrt(g.filterHeight * g.filterWidth * g.inChannels));
      expect(relError(dx, dxRef)).toBeLessThan(1e-5 * sqrt(g.filterHeight * g.filterWidth * g.outChannels));
      expect(relError(dw, dwRef)).toBeLessThan(1e-5 * sqrt(g.batch * g.outHeight * g.outWidth));
    });
  }
});

// On AVX-512 the forward conv's GEMM reads patches from the image in place; it must equal the product
// of the im2col matrix (patch index (kh·fw + kw)·c + ci, zeros outside the image) by the same kernel.
const gathered = built && loadNativeAddon().info().gemm === "avx512";
describe.skipIf(!gathered)(suite("conv2d without an im2col copy (AVX-512)"), () => {
  it("equals sgemm of its im2col matrix bit for bit", () => {
    const addon = loadNativeAddon();
    const failures: string[] = [];
    for (const k of cases) {
      const g = geometry(k);
      const x = data(g.batch * g.inHeight * g.inWidth * g.inChannels, 7);
      const w = data(g.filterHeight * g.filterWidth * g.inChannels * g.outChannels, 8);
      const rows = g.batch * g.outHeight * g.outWidth;
      const patch = g.filterHeight * g.filterWidth * g.inChannels;
      const col = new Float32Array(rows * patch);
      forEachTerm(g, (xi, wi, yi) => {
        if (wi % g.outChannels === 0) col[(yi / g.outChannels) * patch + wi / g.outChannels] = x[xi]!;
      });
      const viaGemm = new Float32Array(rows * g.outChannels);
      const y = new Float32Array(rows * g.outChannels);
      addon.sgemm(false, false, rows, g.outChannels, patch, 1, col, w, 0, viaGemm);
      addon.conv2d(x, w, y, packConvGeometry(g));
      if (!Buffer.from(y.buffer).equals(Buffer.from(viaGemm.buffer))) failures.push(label(k));
    }
    expect(failures).toEqual([]);
  });
});

describe.skipIf(!built)(suite("conv2d with a bias"), () => {
  it("equals the conv without it, then + bias per output channel, bit for bit, on every path", () => {
    const addon = loadNativeAddon();
    for (const k of cases) {
      const g = geometry(k);
      const packed = packConvGeometry(g);
      const x = data(g.batch * g.inHeight * g.inWidth * g.inChannels, 4);
      const w = data(g.filterHeight * g.filterWidth * g.inChannels * g.outChannels, 5);
      const bias = data(g.outChannels, 6, 3);
      const yLen = g.batch * g.outHeight * g.outWidth * g.outChannels;
      const y = new Float32Array(yLen);
      const yb = new Float32Array(yLen).fill(Number.NaN);
      addon.conv2d(x, w, y, packed);
      addon.conv2d(x, w, yb, packed, bias);
      // The same GEMM, then one float32 addition per entry: exactly Add's result.
      const ref = y.map((v, i) => Math.fround(v + bias[i % g.outChannels]!));
      expect(yb, label(k)).toEqual(ref);
    }
  });

  it("rejects a bias shorter than the output channels", () => {
    const addon = loadNativeAddon();
    const g = geometry(cases[0]!);
    const f = (n: number) => new Float32Array(n);
    const [xl, wl, yl] = [2 * 7 * 9 * 3, 3 * 3 * 3 * 5, 2 * 7 * 9 * 5];
    expect(() => addon.conv2d(f(xl), f(wl), f(yl), packConvGeometry(g), f(4))).toThrow(/bias is too short/);
  });
});
