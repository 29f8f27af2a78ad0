import { Rng, randomNormal, tf } from "@scm/backend";
import { relativeError } from "@scm/jvp/testing";
import { afterAll, describe, expect, it } from "vitest";
import { ParamScope } from "./layer.js";
import { adaptiveLayerNorm, modulation } from "./modulation.js";
import { disposeParams, initParams } from "./params.js";
import { presets } from "./presets.js";
import { randomizeParams, scaleParams } from "./testing/index.js";
import { initUNet, unet } from "./unet.js";

describe("adaptiveLayerNorm", () => {
  // emb width 3 → (s, b) of width 4; each layer reads the same `affine.*` parameters.
  const layer = (mode: "double" | "adagn") => adaptiveLayerNorm(new ParamScope().child("affine"), 3, 4, mode);
  const [double, adagn] = [layer("double"), layer("adagn")];
  const scope = new ParamScope();
  const scaleAndShift = modulation(scope.child("affine"), 3, 4, "double");
  const params = initParams(scope.spec, 5);
  const x = tf.tensor2d([[1, 2, 3, 6]]); // [1, 4]: mean 3, variance (4 + 1 + 0 + 9)/4 = 3.5
  const emb = tf.tensor2d([[0.5, -1, 2]]); // [1, 3]
  afterAll(() => {
    disposeParams(params);
    tf.dispose([x, emb]);
  });

  it("is LN(x)⊙pnorm(s) + pnorm(b) under double normalisation and LN(x)⊙s + b under AdaGN (§4.1)", () => {
    const w = params["affine.weight"]!.arraySync() as number[][]; // [3, 8]
    const sb = w[0]!.map((_, j) => 0.5 * w[0]![j]! - w[1]![j]! + 2 * w[2]![j]!); // bias is 0 at init
    const [s, b] = [sb.slice(0, 4), sb.slice(4)];
    const pnorm = (v: number[]) => {
      const r = Math.sqrt(v.reduce((a, u) => a + u * u, 0) / v.length + 1e-8);
      return v.map((u) => u / r);
    };
    const ln = [1, 2, 3, 6].map((v) => (v - 3) / Math.sqrt(3.5 + 1e-6));
    const doubleExpected = ln.map((v, i) => v * pnorm(s)[i]! + pnorm(b)[i]!);
    const adagnExpected = ln.map((v, i) => v * s[i]! + b[i]!);
    tf.tidy(() => {
      // A handful of float32 operations on O(1) numbers: ~1e-7 relative.
      expect(relativeError(double(params, x, emb), doubleExpected)).toBeLessThan(1e-5);
      expect(relativeError(adagn(params, x, emb), adagnExpected)).toBeLessThan(1e-5);
    });
  });

  it("pixel-normalises scale and shift to mean square 1 over the feature axis", () => {
    const [s, b] = scaleAndShift(params, emb);
    for (const v of [s, b]) {
      // mean(v²)/(mean(v²) + 1e-8) = 1 − O(1e-8): float32 rounding dominates.
      expect(tf.mean(tf.square(v)).arraySync()).toBeCloseTo(1, 6);
    }
    tf.dispose([s, b]);
  });
});

describe("the U-Net's adaptive double normalisation", () => {
  const rng = Rng.seeded(17);
  const x = randomNormal(rng, [2, 8, 8, 3]);
  const t = tf.tensor1d([0.4, 1.3]);
  afterAll(() => tf.dispose([x, t]));

  /** Relative change of F when every modulation projection (`*.affine.*`) is scaled by 3. */
  function changeUnderScaling(modulation: "double" | "adagn"): number {
    const config = { ...presets.unet.tiny, modulation };
    const fresh = initUNet(config, 0);
    const params = randomizeParams(fresh, 1);
    const scaled = scaleParams(params, (name) => name.includes(".affine."), 3);
    const [a, b] = [unet(config, params)(x, t), unet(config, scaled)(x, t)];
    const change = relativeError(b.F, a.F);
    tf.dispose([a.F, a.logvar, b.F, b.logvar]);
    [fresh, params, scaled].forEach(disposeParams);
    return change;
  }

  it("is invariant to scaling the modulation projection's output; plain AdaGN is not", () => {
    // pnorm(3v) = 3v/√(9·mean(v²) + ε) = pnorm(v) up to ε/mean(v²) ~ 1e-8: float32 rounding (~1e-6 after
    // the network) is all that changes. AdaGN scales every block's modulation by 3: an O(1) change.
    expect(changeUnderScaling("double")).toBeLessThan(1e-5);
    expect(changeUnderScaling("adagn")).toBeGreaterThan(0.1);
  });
});
