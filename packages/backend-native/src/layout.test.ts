import { describe, expect, it } from "vitest";
import { packConvGeometry } from "./conv-geometry.js";
import { loadNativeAddon } from "./load-addon.js";
import { built, suite } from "./testing/fixtures.js";

const i32 = (...v: number[]) => Int32Array.from(v);

describe.skipIf(!built)(suite("copyBlock"), () => {
  it("copies exactly the block, leaving the rest of dst alone", () => {
    const addon = loadNativeAddon();
    const srcShape = [3, 4, 5, 6];
    const dstShape = [4, 6, 5, 7];
    const src = Float32Array.from({ length: 360 }, (_, i) => i + 1);
    for (const [srcBegin, dstBegin, size] of [
      [
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [3, 4, 5, 6],
      ], // whole src into a corner
      [
        [1, 1, 2, 3],
        [2, 0, 1, 4],
        [2, 3, 3, 3],
      ], // an inner block
      [
        [0, 0, 0, 2],
        [1, 2, 0, 0],
        [3, 4, 5, 1],
      ], // one channel (a strided column)
      [
        [2, 3, 4, 5],
        [3, 5, 4, 6],
        [1, 1, 1, 1],
      ], // one element
      [
        [0, 1, 0, 0],
        [0, 0, 0, 0],
        [3, 0, 5, 6],
      ], // empty
    ]) {
      const dst = new Float32Array(4 * 6 * 5 * 7).fill(-1);
      addon.copyBlock(
        src,
        i32(...srcShape),
        i32(...srcBegin!),
        dst,
        i32(...dstShape),
        i32(...dstBegin!),
        i32(...size!),
      );
      const ref = new Float32Array(dst.length).fill(-1);
      for (let a = 0; a < size![0]!; a++)
        for (let b = 0; b < size![1]!; b++)
          for (let c = 0; c < size![2]!; c++)
            for (let d = 0; d < size![3]!; d++) {
              const s =
                (((a + srcBegin![0]!) * 4 + b + srcBegin![1]!) * 5 + c + srcBegin![2]!) * 6 +
                d +
                srcBegin![3]!;
              const t =
                (((a + dstBegin![0]!) * 6 + b + dstBegin![1]!) * 5 + c + dstBegin![2]!) * 7 +
                d +
                dstBegin![3]!;
              ref[t] = src[s]!;
            }
      expect(Array.from(dst), `${srcBegin} ${dstBegin} ${size}`).toEqual(Array.from(ref));
    }
  });

  it("refuses a block that reaches past either array", () => {
    const addon = loadNativeAddon();
    const f = new Float32Array(16);
    expect(() => addon.copyBlock(f, i32(4, 4), i32(3, 0), f, i32(4, 4), i32(0, 0), i32(2, 4))).toThrow(
      /reaches past/,
    );
    expect(() => addon.copyBlock(f, i32(4, 4), i32(0, 0), f, i32(4, 5), i32(0, 0), i32(4, 4))).toThrow(
      /dst is too short/,
    );
    expect(() => addon.copyBlock(f, i32(4, 4), i32(0), f, i32(4, 4), i32(0, 0), i32(4, 4))).toThrow(
      /same length/,
    );
  });
});

// Strides of a row-major shape.
function strides(shape: readonly number[]): number[] {
  const out = shape.map(() => 1);
  for (let d = shape.length - 2; d >= 0; d--) out[d] = out[d + 1]! * shape[d + 1]!;
  return out;
}

// The multi-index of flat index i in shape.
function unravel(i: number, shape: readonly number[]): number[] {
  const idx = shape.map(() => 0);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return idx;
}

describe.skipIf(!built)(suite("tile and transpose"), () => {
  it("tile repeats x along each dimension: out[i] = x[i mod shape]", () => {
    const addon = loadNativeAddon();
    for (const [shape, reps] of [
      [
        [2, 3],
        [3, 2],
      ],
      [
        [1, 4, 1],
        [5, 1, 7],
      ], // broadcastTo's pattern: repeating size-1 dimensions
      [[3], [1]],
      [
        [2, 1, 3, 2],
        [1, 4, 2, 3],
      ],
    ]) {
      const x = Float32Array.from({ length: shape!.reduce((a, b) => a * b, 1) }, (_, i) => i + 1);
      const outShape = shape!.map((d, i) => d * reps![i]!);
      const out = new Float32Array(outShape.reduce((a, b) => a * b, 1));
      addon.tile(x, i32(...shape!), i32(...reps!), out);
      const xs = strides(shape!);
      const ref = out.map(
        (_, i) => x[unravel(i, outShape).reduce((s, v, d) => s + (v % shape![d]!) * xs[d]!, 0)]!,
      );
      expect(Array.from(out), `${shape} × ${reps}`).toEqual(Array.from(ref));
    }
  });

  it("transpose permutes dimensions: out[idx] = x[idx permuted back]", () => {
    const addon = loadNativeAddon();
    for (const [shape, perm] of [
      [
        [3, 4],
        [1, 0],
      ],
      [
        [2, 3, 4, 5],
        [0, 2, 3, 1],
      ], // NHWC → NCHW-like
      [
        [2, 3, 4, 5],
        [0, 3, 1, 2],
      ],
      [
        [2, 3, 4, 5],
        [2, 3, 0, 1],
      ], // merges (2,3) and (0,1)
      [
        [2, 1, 4, 3],
        [1, 3, 0, 2],
      ],
      [
        [64, 300],
        [1, 0],
      ], // large enough to split across threads
    ]) {
      const x = Float32Array.from({ length: shape!.reduce((a, b) => a * b, 1) }, (_, i) => i + 1);
      const outShape = perm!.map((p) => shape![p]!);
      const out = new Float32Array(x.length);
      addon.transpose(x, i32(...shape!), i32(...perm!), out);
      const xs = strides(shape!);
      const ref = out.map((_, i) => x[unravel(i, outShape).reduce((s, v, k) => s + v * xs[perm![k]!]!, 0)]!);
      expect(Array.from(out), `${shape} perm ${perm}`).toEqual(Array.from(ref));
    }
  });

  it("refuses a perm that is not a permutation and reps of the wrong length", () => {
    const addon = loadNativeAddon();
    const f = new Float32Array(6);
    expect(() => addon.transpose(f, i32(2, 3), i32(0, 0), f)).toThrow(/not a permutation/);
    expect(() => addon.tile(f, i32(2, 3), i32(2), f)).toThrow(/one entry per dimension/);
    expect(() => addon.tile(f, i32(2, 3), i32(2, 1), f)).toThrow(/out is too short/);
  });
});

describe.skipIf(!built)(suite("resizeNearest and resizeNearestGrad"), () => {
  // tfjs's rule: source = min(in − 1, round or floor(ratio · (i [+ 0.5]))), ratio from the (aligned) sizes.
  function source(i: number, inSize: number, outSize: number, align: boolean, half: boolean): number {
    const ratio =
      (align && outSize > 1 ? inSize - 1 : inSize) / (align && outSize > 1 ? outSize - 1 : outSize);
    const frac = half ? ratio * (i + 0.5) : ratio * i;
    return Math.max(0, Math.min(inSize - 1, align ? Math.round(frac) : Math.floor(frac)));
  }

  it("gathers the nearest source pixel and sums gradients back onto it", () => {
    const addon = loadNativeAddon();
    for (const [b, ih, iw, c, oh, ow] of [
      [2, 3, 4, 5, 6, 8], // ×2 upsampling
      [1, 7, 5, 3, 3, 2], // downsampling
      [2, 4, 4, 300, 9, 7], // odd ratios, channels past the 256-wide accumulator
    ] as const) {
      for (const align of [false, true]) {
        for (const half of align ? [false] : [false, true]) {
          const x = Float32Array.from({ length: b * ih * iw * c }, (_, i) => Math.sin(i));
          const y = new Float32Array(b * oh * ow * c);
          addon.resizeNearest(x, y, b, ih, iw, c, oh, ow, align, half);
          const dy = Float32Array.from({ length: y.length }, (_, i) => Math.cos(i));
          const dx = new Float32Array(x.length);
          addon.resizeNearestGrad(dy, dx, b, ih, iw, c, oh, ow, align);
          const yRef = new Float32Array(y.length);
          const dxRef = new Float64Array(x.length);
          for (let n = 0; n < b; n++)
            for (let r = 0; r < oh; r++)
              for (let q = 0; q < ow; q++)
                for (let k = 0; k < c; k++) {
                  const o = ((n * oh + r) * ow + q) * c + k;
                  yRef[o] =
                    x[
                      ((n * ih + source(r, ih, oh, align, half)) * iw + source(q, iw, ow, align, half)) * c +
                        k
                    ]!;
                  dxRef[
                    ((n * ih + source(r, ih, oh, align, false)) * iw + source(q, iw, ow, align, false)) * c +
                      k
                  ]! += dy[o]!;
                }
          expect(Array.from(y), `${b},${ih},${iw},${c} → ${oh},${ow} ${align} ${half}`).toEqual(
            Array.from(yRef),
          );
          // float64 sums of the same terms in the same order, rounded once: exact.
          expect(Array.from(dx)).toEqual(Array.from(Float32Array.from(dxRef)));
        }
      }
    }
  });
});

describe.skipIf(!built)(suite("avgPool and avgPoolGrad"), () => {
  it("average each window's in-image pixels, and spread dy by 1/(fh·fw) back", () => {
    const addon = loadNativeAddon();
    for (const [b, h, w, c, fh, fw, s, padTop, padLeft, oh, ow] of [
      [2, 6, 8, 3, 2, 2, 2, 0, 0, 3, 4], // a U-Net's 2×2 downsampling
      [1, 5, 5, 2, 3, 3, 1, 1, 1, 5, 5], // 'same': edge windows hold fewer pixels
      [2, 7, 5, 4, 3, 2, 2, 0, 0, 3, 2],
    ] as const) {
      const g = packConvGeometry({
        batch: b,
        inHeight: h,
        inWidth: w,
        inChannels: c,
        outHeight: oh,
        outWidth: ow,
        outChannels: c,
        filterHeight: fh,
        filterWidth: fw,
        strideHeight: s,
        strideWidth: s,
        dilationHeight: 1,
        dilationWidth: 1,
        padTop,
        padLeft,
      });
      const x = Float32Array.from({ length: b * h * w * c }, (_, i) => Math.sin(i));
      const dy = Float32Array.from({ length: b * oh * ow * c }, (_, i) => Math.cos(i));
      const y = new Float32Array(dy.length);
      const dx = new Float32Array(x.length);
      addon.avgPool(x, y, g);
      addon.avgPoolGrad(dy, dx, g);
      const yRef = new Float64Array(y.length);
      const dxRef = new Float64Array(x.length);
      for (let n = 0; n < b; n++)
        for (let r = 0; r < oh; r++)
          for (let q = 0; q < ow; q++)
            for (let k = 0; k < c; k++) {
              const o = ((n * oh + r) * ow + q) * c + k;
              const cells: number[] = [];
              for (let i = r * s - padTop; i < r * s - padTop + fh; i++)
                for (let j = q * s - padLeft; j < q * s - padLeft + fw; j++)
                  if (i >= 0 && i < h && j >= 0 && j < w) cells.push(((n * h + i) * w + j) * c + k);
              yRef[o] = cells.reduce((acc, p) => acc + x[p]!, 0) / cells.length;
              for (const p of cells) dxRef[p]! += dy[o]! / (fh * fw);
            }
      expect(Array.from(y)).toEqual(Array.from(Float32Array.from(yRef)));
      // The reference adds dy/(fh·fw) per window, the kernel scales the sum once: 1e-6 relative.
      for (let i = 0; i < dx.length; i++) {
        expect(Math.abs(dx[i]! - dxRef[i]!)).toBeLessThanOrEqual(1e-6 * Math.abs(dxRef[i]!) + 1e-12);
      }
    }
  });
});
