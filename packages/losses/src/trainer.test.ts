import { type Tensor, tf } from "@scm/backend";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { describe, expect, it } from "vitest";
import { scdLoss, sctLoss } from "./consistency.js";
import { idealDiffusionNet, linearTimeModel } from "./testing/index.js";
import { createTrainer, globalNorm } from "./trainer.js";
import { batches, poisonable, s, setup, values } from "./trainer.test-util.js";

keepTensorCount(() => tf.memory().numTensors);

describe("globalNorm", () => {
  it("is √Σ‖g_i‖² over any number of tensors (here 300, more than a WebGPU shader can bind)", () => {
    // ‖(3, 4)‖² + ‖[[12]]‖² = 169, and 298 more tensors (0.5, 0.5, 0.5, 0.5) add 298·1.
    const grads: Tensor[] = [tf.tensor1d([3, 4]), tf.tensor2d([[12]])];
    for (let i = 0; i < 298; i++) grads.push(tf.fill([2, 2], 0.5));
    const before = tf.memory().numTensors;
    const norm = globalNorm(grads);
    expect(norm.dataSync()[0]).toBeCloseTo(Math.sqrt(169 + 298), 4);
    norm.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(grads);
  });
});

describe("createTrainer", () => {
  it("keeps the tensor count flat across steps", async () => {
    const xs = batches(5);
    const { trainer, dispose } = setup();
    await trainer.step({ x0: xs[0]! });
    const count = tf.memory().numTensors;
    for (const x0 of xs.slice(1)) {
      await trainer.step({ x0 });
      expect(tf.memory().numTensors).toBe(count);
    }
    dispose();
    tf.dispose(xs);
  });

  it("resumes bit for bit: k steps, export, import into a fresh trainer, k more = 2k uninterrupted", async () => {
    const xs = batches(6);
    const straight = setup();
    const straightLosses = [];
    for (const x0 of xs) straightLosses.push((await straight.trainer.step({ x0 })).loss);

    const first = setup();
    for (const x0 of xs.slice(0, 3)) await first.trainer.step({ x0 });
    const state = await first.trainer.exportState();
    const weights = values(first.model.params);
    first.dispose();
    const json = JSON.parse(JSON.stringify(state.meta)); // the metadata survives JSON (state.json)

    const second = setup({ seed: 999 }); // a different seed: everything must come from the state
    second.trainer.importState({ meta: json, tensors: state.tensors });
    tf.tidy(() => {
      for (const [k, v] of Object.entries(second.model.params)) v.assign(tf.tensor(weights[k]!, v.shape));
    });
    const resumedLosses = [];
    for (const x0 of xs.slice(3)) resumedLosses.push((await second.trainer.step({ x0 })).loss);

    expect(resumedLosses).toEqual(straightLosses.slice(3)); // exact equality
    expect(values(second.model.params)).toEqual(values(straight.model.params));
    expect(await second.trainer.exportState()).toEqual(await straight.trainer.exportState());
    straight.dispose();
    second.dispose();
    tf.dispose(xs);
  });

  it("skips a step with a non-finite loss (policy skip) and reports it, leaving the weights as they were", async () => {
    const inner = sctLoss({ tangentWarmup: 0 });
    const poisoned = poisonable(inner, Number.NaN);
    const xs = batches(2);
    const { model, trainer, dispose } = setup({ loss: poisoned.loss, onNonFinite: "skip" });
    await trainer.step({ x0: xs[0]! });
    const weights = values(model.params);
    const emaBefore = values(trainer.emas["fast"]!);
    poisoned.on = true;
    const r = await trainer.step({ x0: xs[1]! });
    expect(r.skipped).toBe(true);
    expect(Number.isNaN(r.loss)).toBe(true);
    expect(values(model.params)).toEqual(weights);
    expect(values(trainer.emas["fast"]!)).toEqual(emaBefore);
    expect((await trainer.exportState()).meta.skipped).toBe(1);
    dispose();
    tf.dispose(xs);
  });

  it("clips the global gradient norm: RAdam's first step moves θ by lr·clip", async () => {
    const xs = batches(1);
    // RAdam's first step (ρ_1 ≤ 5) is θ ← θ − lr·g, so ‖Δθ‖ = lr·‖g_clipped‖ = lr·clip·‖g‖/(‖g‖ + 1e-6).
    const { model, trainer, dispose } = setup({ gradientClip: 1e-3, learningRate: 0.5 });
    const before = [...values(model.params)["c"]!, ...values(model.params)["d"]!];
    const r = await trainer.step({ x0: xs[0]! });
    const after = [...values(model.params)["c"]!, ...values(model.params)["d"]!];
    const moved = Math.hypot(...after.map((v, i) => v - before[i]!));
    expect(r.gradNorm).toBeGreaterThan(1e-3); // the clip was active
    expect(moved / (0.5 * 1e-3)).toBeCloseTo(1, 3); // float32 weights of size ~0.3: ~1e-7/5e-4 relative
    dispose();
    tf.dispose(xs);
  });

  it("reports the loss by t-bin consistently with the batch loss, r, w_φ and ‖g‖", async () => {
    const xs = batches(1);
    const { trainer, dispose } = setup();
    const r = await trainer.step({ x0: xs[0]! });
    const total = r.lossByTime.reduce((a, b) => a + b.count, 0);
    const weighted = r.lossByTime.reduce((a, b) => a + (b.count > 0 ? b.count * b.meanLoss : 0), 0) / total;
    expect(total).toBe(16);
    expect(weighted).toBeCloseTo(r.loss, 5); // float64 re-average of float32 per-sample losses
    expect(r.warmup).toBe(0); // step 0 of H = 4
    expect(r.wPhi).toBe(-0); // d = 0 at init: logvar = 0
    expect(r.tangentNorm).toBeGreaterThan(0);
    dispose();
    tf.dispose(xs);
  });

  it("trains sCD with a teacher and rejects bad options", async () => {
    const xs = batches(1);
    const { trainer, dispose } = setup({ loss: scdLoss({ teacher: idealDiffusionNet(s, 0.5) }) });
    expect(Number.isFinite((await trainer.step({ x0: xs[0]! })).loss)).toBe(true);
    dispose();
    tf.dispose(xs);
    const model = linearTimeModel(1);
    const base = { student: model.net, params: model.params, loss: sctLoss() };
    expect(() => createTrainer({ ...base, gradientClip: 0 })).toThrow(
      /^gradientClip is 0; expected a global norm > 0/,
    );
    expect(() => createTrainer({ ...base, onNonFinite: "ignore" as "skip" })).toThrow(
      /^onNonFinite is "ignore"/,
    );
    expect(() => createTrainer({ ...base, emas: { e: { kind: "power", sigmaRel: 1 } } })).toThrow(
      /^sigmaRel is 1/,
    );
    model.dispose();
  });
});
