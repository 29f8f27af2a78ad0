// stepAsync against its reference, the synchronous step: the same step bit for bit (both drive one
// step core), the same tensor count on every exit, and no second call while a step is in flight.
import { tf } from "@scm/backend";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sctLoss } from "./consistency.js";
import { diffusionLoss } from "./diffusion.js";
import { NonFiniteError, TrainerBusyError } from "./errors.js";
import type { TrainerOptions } from "./trainer.js";
import { batches, poisonable, setup, values } from "./trainer.test-util.js";
import type { Loss } from "./types.js";

keepTensorCount(() => tf.memory().numTensors);
afterEach(() => {
  vi.restoreAllMocks();
});

describe("Trainer.stepAsync", () => {
  it.each<[string, Partial<TrainerOptions>]>([
    ["sCT, RAdam, clip 10", {}],
    ["sCT, Adam, clip 1e-3 (always clipping)", { optimizer: { kind: "adam" }, gradientClip: 1e-3 }],
    ["diffusion, no clip", { loss: diffusionLoss({ dropout: false }), gradientClip: undefined }],
  ])("takes the same steps as step, bit for bit (%s)", async (_, options) => {
    const xs = batches(5);
    const sync = setup(options);
    const async = setup(options);
    const initial = values(sync.model.params);
    const expected = xs.map((x0) => sync.trainer.step({ x0 }));
    const actual = [];
    for (const x0 of xs) actual.push(await async.trainer.stepAsync({ x0 }));

    expect(values(sync.model.params)).not.toEqual(initial); // the steps did move the weights
    if (options.gradientClip === 1e-3) expect(expected.every((r) => r.gradNorm > 1e-3)).toBe(true);
    // Exact equality throughout (toEqual tells −0 from 0 and compares every float).
    expect(actual).toEqual(expected);
    expect(values(async.model.params)).toEqual(values(sync.model.params));
    expect(async.trainer.exportState()).toEqual(sync.trainer.exportState());
    sync.dispose();
    async.dispose();
    tf.dispose(xs);
  });

  it("keeps the tensor count flat across applied and skipped steps (policy skip)", async () => {
    const poisoned = poisonable(sctLoss({ tangentWarmup: 0 }), Number.NaN);
    const xs = batches(4);
    const { model, trainer, dispose } = setup({ loss: poisoned.loss, onNonFinite: "skip" });
    const count = tf.memory().numTensors;
    expect((await trainer.stepAsync({ x0: xs[0]! })).skipped).toBe(false);
    expect(tf.memory().numTensors).toBe(count);
    const weights = values(model.params);
    poisoned.on = true;
    for (const x0 of xs.slice(1, 3)) {
      const r = await trainer.stepAsync({ x0 });
      expect([r.skipped, r.loss]).toEqual([true, Number.NaN]);
      expect(tf.memory().numTensors).toBe(count);
    }
    poisoned.on = false;
    expect(values(model.params)).toEqual(weights); // the skipped steps were not applied
    expect(trainer.exportState().meta).toMatchObject({ step: 3, skipped: 2 });
    expect((await trainer.stepAsync({ x0: xs[3]! })).skipped).toBe(false);
    expect(tf.memory().numTensors).toBe(count);
    dispose();
    tf.dispose(xs);
  });

  it("rejects a non-finite step (policy throw) with the tensor count and the trainer as before", async () => {
    const inner = sctLoss({ tangentWarmup: 0 });
    const poisoned = poisonable(inner, Number.POSITIVE_INFINITY);
    const xs = batches(2);
    const a = setup({ loss: poisoned.loss });
    const b = setup({ loss: inner });
    await a.trainer.stepAsync({ x0: xs[0]! });
    b.trainer.step({ x0: xs[0]! });
    const count = tf.memory().numTensors;
    const state = a.trainer.exportState();
    poisoned.on = true;
    await expect(a.trainer.stepAsync({ x0: xs[1]! })).rejects.toThrow(NonFiniteError);
    await expect(a.trainer.stepAsync({ x0: xs[1]! })).rejects.toThrow(/^The step 1 has loss Infinity/);
    expect(tf.memory().numTensors).toBe(count);
    expect(a.trainer.exportState()).toEqual(state);
    poisoned.on = false;
    // The failed steps consumed nothing: the next step is the one an untouched trainer takes.
    expect(await a.trainer.stepAsync({ x0: xs[1]! })).toEqual(b.trainer.step({ x0: xs[1]! }));
    expect(values(a.model.params)).toEqual(values(b.model.params));
    a.dispose();
    b.dispose();
    tf.dispose(xs);
  });

  it("frees every tensor and restores the Rng when the loss or the device read fails", async () => {
    const inner = sctLoss({ tangentWarmup: 0 });
    const state = { fail: false };
    const failing: Loss = (student, batch, context) => {
      const p = inner(student, batch, context); // t, z, the JVP: tensors made before the failure
      if (state.fail) throw new Error("loss failed");
      return p;
    };
    const xs = batches(2);
    const a = setup({ loss: failing });
    const b = setup({ loss: inner });
    const count = tf.memory().numTensors;
    const before = a.trainer.exportState();
    state.fail = true;
    await expect(a.trainer.stepAsync({ x0: xs[0]! })).rejects.toThrow("loss failed");
    expect(() => a.trainer.step({ x0: xs[0]! })).toThrow("loss failed");
    state.fail = false;
    // The trainer's own read (the [3 + 4B] read-back, made after the gradients) fails, as on a lost
    // device: the driver throws it into the step core. Other reads (the state's) are left alone.
    const { data, dataSync } = tf.Tensor.prototype;
    const lost = (x: tf.Tensor) => x.size === 3 + 4 * 16;
    vi.spyOn(tf.Tensor.prototype, "data").mockImplementation(function (this: tf.Tensor) {
      return lost(this) ? Promise.reject(new Error("device lost")) : data.call(this);
    } as typeof data);
    vi.spyOn(tf.Tensor.prototype, "dataSync").mockImplementation(function (this: tf.Tensor) {
      if (lost(this)) throw new Error("device lost");
      return dataSync.call(this);
    } as typeof dataSync);
    await expect(a.trainer.stepAsync({ x0: xs[0]! })).rejects.toThrow("device lost");
    expect(() => a.trainer.step({ x0: xs[0]! })).toThrow("device lost");
    vi.restoreAllMocks();
    expect(tf.memory().numTensors).toBe(count);
    expect(a.trainer.exportState()).toEqual(before);
    expect(await a.trainer.stepAsync({ x0: xs[1]! })).toEqual(b.trainer.step({ x0: xs[1]! }));
    a.dispose();
    b.dispose();
    tf.dispose(xs);
  });

  it("refuses every call while a step is in flight, naming it, and completes that step untouched", async () => {
    const xs = batches(2);
    const a = setup();
    const ref = setup();
    const pending = a.trainer.stepAsync({ x0: xs[0]! });
    expect(a.trainer.stepCount).toBe(0);
    expect(() => a.trainer.step({ x0: xs[1]! })).toThrow(TrainerBusyError);
    expect(() => a.trainer.step({ x0: xs[1]! })).toThrow(
      /^step was called while the trainer's step 0 is still in flight; expected that step to settle first/,
    );
    const second = a.trainer.stepAsync({ x0: xs[1]! });
    expect(() => a.trainer.exportState()).toThrow(/^exportState was called while/);
    expect(() => a.trainer.importState(ref.trainer.exportState())).toThrow(/^importState was called while/);
    expect(() => a.trainer.dispose()).toThrow(/^dispose was called while/);
    // Awaiting anything lets the pending step finish (cpu's read is a resolved promise): checks first.
    await expect(second).rejects.toThrow(/^stepAsync was called while the trainer's step 0/);
    // The refused calls changed nothing: the pending step and the next are the reference's.
    expect(await pending).toEqual(ref.trainer.step({ x0: xs[0]! }));
    expect(await a.trainer.stepAsync({ x0: xs[1]! })).toEqual(ref.trainer.step({ x0: xs[1]! }));
    expect(a.trainer.exportState()).toEqual(ref.trainer.exportState());
    expect(values(a.model.params)).toEqual(values(ref.model.params));
    a.dispose();
    ref.dispose();
    tf.dispose(xs);
  });

  it("resumes bit for bit with step and stepAsync mixed on both sides of an export/import", async () => {
    const xs = batches(6);
    const straight = setup();
    const straightLosses = xs.map((x0) => straight.trainer.step({ x0 }).loss);

    const first = setup();
    for (const x0 of xs.slice(0, 3)) await first.trainer.stepAsync({ x0 });
    const state = first.trainer.exportState();
    const weights = values(first.model.params);
    first.dispose();

    const second = setup({ seed: 999 }); // a different seed: everything must come from the state
    second.trainer.importState({ meta: JSON.parse(JSON.stringify(state.meta)), tensors: state.tensors });
    tf.tidy(() => {
      for (const [k, v] of Object.entries(second.model.params)) v.assign(tf.tensor(weights[k]!, v.shape));
    });
    const resumedLosses = [
      (await second.trainer.stepAsync({ x0: xs[3]! })).loss,
      second.trainer.step({ x0: xs[4]! }).loss,
      (await second.trainer.stepAsync({ x0: xs[5]! })).loss,
    ];

    expect(resumedLosses).toEqual(straightLosses.slice(3)); // exact equality
    expect(values(second.model.params)).toEqual(values(straight.model.params));
    expect(second.trainer.exportState()).toEqual(straight.trainer.exportState());
    straight.dispose();
    second.dispose();
    tf.dispose(xs);
  });
});
