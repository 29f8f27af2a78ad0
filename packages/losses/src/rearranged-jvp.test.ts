import { Rng, randomNormal, tf } from "@scm/backend";
import { timeColumn } from "@scm/trigflow";
import { maxRelativeError } from "@scm/trigflow/testing";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { describe, expect, it } from "vitest";
import { rearrangedJvp } from "./consistency.js";
import { idealConsistencyNet, linearTimeModel } from "./testing/index.js";

keepTensorCount(() => tf.memory().numTensors);

const sigmaData = 0.5;
const ts = [0.01, 0.8, 1.5];

describe("rearrangedJvp", () => {
  it("equals cos t·sin t·dF/dt with da/dt by central differences in float64 (F = a(t)·y)", () => {
    const model = linearTimeModel(4, [0.3, -1.2, 0.8, 0.5]);
    const rng = Rng.seeded(3);
    const [xT, dxdt, t] = [randomNormal(rng, [3, 2]), randomNormal(rng, [3, 2]), tf.tensor1d(ts)];
    const { F, J } = rearrangedJvp(model.net, xT, t, dxdt, sigmaData);
    // d/dt a(t)·y(t) = a'(t)·y + a(t)·dxdt/σ_d with y = x_t/σ_d; a' by central differences (h = 1e-5:
    // truncation h²·a''' ≈ 1e-10, rounding 1e-16/h = 1e-11).
    const h = 1e-5;
    const a = model.a(ts);
    const da = model.a(ts.map((v) => v + h)).map((p, i) => (p - model.a([ts[i]! - h])[0]!) / (2 * h));
    const [x, v] = [xT.arraySync() as number[][], dxdt.arraySync() as number[][]];
    const expected = ts.flatMap((tv, i) =>
      [0, 1].map((j) => (Math.cos(tv) * Math.sin(tv) * (da[i]! * x[i]![j]! + a[i]! * v[i]![j]!)) / sigmaData),
    );
    // float32 network arithmetic: ~1e-6 relative.
    expect(maxRelativeError(J, expected)).toBeLessThan(1e-5);
    expect(
      maxRelativeError(
        F,
        ts.flatMap((_, i) => [0, 1].map((j) => (a[i]! * x[i]![j]!) / sigmaData)),
      ),
    ).toBeLessThan(1e-6);
    tf.dispose([xT, dxdt, t, F, J]);
    model.dispose();
  });

  it("equals a float32 central difference of F along (cos t sin t·dxdt/σ_d, cos t sin t) for F_cm", () => {
    const net = idealConsistencyNet(0.8, sigmaData);
    const rng = Rng.seeded(4);
    const [xT, dxdt, t] = [randomNormal(rng, [3, 2]), randomNormal(rng, [3, 2]), tf.tensor1d(ts)];
    const { F, J } = rearrangedJvp(net, xT, t, dxdt, sigmaData);
    const h = 1e-2;
    const fd = tf.tidy(() => {
      const cs = tf.mul(tf.cos(t), tf.sin(t));
      const dy = tf.mul(timeColumn(cs, 2), tf.div(dxdt, sigmaData));
      const at = (e: number) => net(tf.add(tf.div(xT, sigmaData), tf.mul(dy, e)), tf.add(t, tf.mul(cs, e))).F;
      return tf.div(tf.sub(at(h), at(-h)), 2 * h);
    });
    // h = 1e-2: truncation h²·|F'''|/6 ≈ 1e-4·O(1); rounding 1e-7/h = 1e-5.
    expect(maxRelativeError(J, fd)).toBeLessThan(1e-3);
    tf.dispose([xT, dxdt, t, F, J, fd]);
  });
});
