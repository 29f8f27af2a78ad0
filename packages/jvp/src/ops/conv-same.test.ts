import { FusedKernel, fusedKernelAvailable, Rng, randomNormal, tf } from "@scm/backend";
import { afterAll, describe, expect, it } from "vitest";
import { jvp } from "../jvp.js";
import { relativeError } from "../testing/index.js";
import { add } from "./arithmetic.js";
import { conv2dBias } from "./conv-bias.js";
import {
  convFilterGrad,
  convFilterGradGemm,
  convInputGradConv,
  convPath,
  convSame,
  convSameBias,
} from "./conv-same.js";
import { matMul } from "./linalg.js";

describe("convSame", () => {
  const rng = Rng.seeded(23);
  const x = randomNormal(rng, [2, 5, 6, 3]); // [B, H, W, Cin]
  const w = randomNormal(rng, [3, 3, 3, 4]); // [k, k, Cin, Cout]
  const u = randomNormal(rng, [2, 5, 6, 4]); // a cotangent for ∂⟨u, y⟩
  afterAll(() => tf.dispose([x, w, u]));

  it("is tfjs's conv2d forward, bit for bit, on the path of the active backend", () => {
    // cpu and wasm take the custom gradient (slow or missing filter-gradient kernel), webgpu the GEMM
    // gradients (its kernels loop over the batch); others, plain conv2d.
    const expected = { cpu: "customGrad", wasm: "customGrad", webgpu: "gemmGrad" }[tf.getBackend()] ?? "jvp";
    expect(convPath()).toBe(expected);
    const [a, b] = [convSame(x, w), tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same")];
    expect(relativeError(a, b)).toBe(0);
    tf.dispose([a, b]);
  });

  it("has the gradients of conv2d in x and W: ⟨∇_W L, V⟩ = ⟨u, conv(x, V)⟩ and ⟨∇_x L, X⟩ = ⟨u, conv(X, W)⟩", () => {
    // L = ⟨u, conv(x, W)⟩ is linear in each argument, so each gradient is pinned by these identities
    // for any direction (V, X); no reference kernel needed (wasm has no Conv2DBackpropFilter at all).
    const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(convSame(a, b), u)))([x, w]);
    const dirX = randomNormal(rng, x.shape);
    const dirW = randomNormal(rng, w.shape);
    const dot = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.sum(tf.mul(a, b)).dataSync()[0]!);
    const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "same");
    const [yW, yX] = [conv(x, dirW), conv(dirX, w)];
    // Float32 sums of ~200–700 terms of O(1) products: relative rounding ~1e-6 of the magnitudes.
    expect(Math.abs(dot(gw!, dirW) - dot(u, yW))).toBeLessThan(1e-4 * Math.sqrt(dot(u, u) * dot(yW, yW)));
    expect(Math.abs(dot(gx!, dirX) - dot(u, yX))).toBeLessThan(1e-4 * Math.sqrt(dot(u, u) * dot(yX, yX)));
    tf.dispose([gx!, gw!, dirX, dirW, yW, yX]);
  });

  it("takes @scm/jvp's conv2d under jvp, with the tangent conv2d(ẋ, W)", () => {
    const tx = randomNormal(rng, x.shape);
    let path = "";
    const [y, ty] = jvp(
      (a) => {
        path = convPath();
        return convSame(a, w);
      },
      [x],
      [tx],
    );
    expect(path).toBe("jvp");
    const expected = tf.conv2d(tx as tf.Tensor4D, w as tf.Tensor4D, 1, "same"); // linear in x
    expect(relativeError(ty, expected)).toBeLessThan(1e-6); // the same kernel: exact up to rounding
    tf.dispose([tx, y, ty, expected]);
  });
});

describe("convFilterGrad", () => {
  it("gives ∂Σy/∂W[i, j] = the sum of the pixels tap (i, j) sees", () => {
    const x = tf.range(0, 16).reshape([1, 4, 4, 1]); // 0..15 row-major on a 4×4 image
    const ones = tf.ones([1, 4, 4, 1]);
    const dw = Array.from(convFilterGrad(x, ones, [3, 3, 1, 1]).dataSync());
    // Centre tap: every pixel, 0 + … + 15 = 120. Top-left tap: pixel (h − 1, w − 1), i.e. rows and
    // columns 0–2: 0+1+2 + 4+5+6 + 8+9+10 = 45. Bottom-right: rows and columns 1–3: 5+6+7 + 9+10+11 + 13+14+15 = 90.
    expect([dw[4], dw[0], dw[8]]).toEqual([120, 45, 90]);
    tf.dispose([x, ones]);
  });
});

describe("convFilterGradGemm / convInputGradConv", () => {
  it("give tfjs's Conv2DBackpropFilter and Conv2DBackpropInput, with a reduction split into chunks", () => {
    // B·H·W = 3·29·31 = 2697 rows: two chunks of 1349 and one zero row, so the split and its padding
    // both run. 5×5 taps as well as 3×3 (any odd k).
    for (const k of [3, 5]) {
      const rng = Rng.seeded(k);
      const x = randomNormal(rng, [3, 29, 31, 4]);
      const w = randomNormal(rng, [k, k, 4, 6]);
      const dy = randomNormal(rng, [3, 29, 31, 6]);
      // tfjs's own gradient of conv2d: its Conv2DBackpropInput and Conv2DBackpropFilter kernels.
      const conv = (a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "same"), dy));
      const [wantX, wantW] = tf.grads(conv)([x, w]) as [tf.Tensor, tf.Tensor];
      const [gotW, gotX] = [convFilterGradGemm(x, dy, w.shape), convInputGradConv(dy, w)];
      // float32 sums of 2697 (filter) or k²·6 (input) O(1) terms in another order: ~1e-6 relative.
      expect(relativeError(gotW, wantW)).toBeLessThan(1e-5);
      expect(relativeError(gotX, wantX)).toBeLessThan(1e-5);
      tf.dispose([x, w, dy, wantW, wantX, gotW, gotX]);
    }
  });
});

describe("convSameBias", () => {
  const rng = Rng.seeded(29);
  const x = randomNormal(rng, [2, 5, 6, 3]); // [B, H, W, Cin]
  const w3 = randomNormal(rng, [3, 3, 3, 4]);
  const w1 = randomNormal(rng, [1, 1, 3, 4]);
  const b = randomNormal(rng, [4]);
  const fused = fusedKernelAvailable(FusedKernel.conv2dBias);
  afterAll(() => tf.dispose([x, w3, w1, b]));

  it("is the fused conv2dBias where the backend has it, else convSame + b, bit for bit", () => {
    const [y, expected] = [
      convSameBias(x, w3, b),
      fused ? conv2dBias(x, w3, b, 1, "same") : add(convSame(x, w3), b),
    ];
    expect(relativeError(y, expected)).toBe(0);
    tf.dispose([y, expected]);
  });

  it("runs a 1×1 conv without the fused kernel as a matMul over pixels, and equals conv2d + b", () => {
    const y = convSameBias(x, w1, b);
    const reference = tf.add(tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 1, "same"), b);
    if (!fused) {
      const pixels = tf.reshape(matMul(tf.reshape(x, [-1, 3]), tf.reshape(w1, [3, 4])), [2, 5, 6, 4]);
      const viaMatMul = add(pixels, b);
      expect(relativeError(y, viaMatMul)).toBe(0);
      tf.dispose([pixels, viaMatMul]);
    }
    expect(relativeError(y, reference)).toBeLessThan(1e-6); // 3-term dot products in another order
    tf.dispose([y, reference]);
  });

  it("without a bias is convSame alone", () => {
    const [y, expected] = [convSameBias(x, w3, undefined), convSame(x, w3)];
    expect(relativeError(y, expected)).toBe(0);
    tf.dispose([y, expected]);
  });
});
