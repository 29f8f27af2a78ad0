// The awaited step: the same tensor count on every exit, a failed step (its loss, or its one device
// read) leaves the trainer as it was, no second call while a step is in flight, and an exported state
// resumes bit for bit.
import { tf } from "@scm/backend";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sctLoss } from "./consistency.js";
import { NonFiniteError, TrainerBusyError } from "./errors.js";
import { batches, poisonable, setup, values } from "./trainer.test-util.js";
import type { Loss } from "./types.js";

keepTensorCount(() => tf.memory().numTensors);
afterEach(() => {
  vi.restoreAllMocks();
});

describe("Trainer.step", () => {
  it("keeps the tensor count flat across applied and skipped steps (policy skip)", async () => {
    const poisoned = poisonable(sctLoss({ tangentWarmup: 0 }), Number.NaN);
    const xs = batches(4);
    const { model, trainer, dispose } = setup({ loss: poisoned.loss, onNonFinite: "skip" });
    const count = tf.memory().numTensors;
    expect((await trainer.step({ x0: xs[0]! })).skipped).toBe(false);
    expect(tf.memory().numTensors).toBe(count);
    const weights = values(model.params);
    poisoned.on = true;
    for (const x0 of xs.slice(1, 3)) {
      const r = await trainer.step({ x0 });
      expect([r.skipped, r.loss]).toEqual([true, Number.NaN]);
      expect(tf.memory().numTensors).toBe(count);
    }
    poisoned.on = false;
    expect(values(model.params)).toEqual(weights); // the skipped steps were not applied
    expect((await trainer.exportState()).meta).toMatchObject({ step: 3, skipped: 2 });
    expect((await trainer.step({ x0: xs[3]! })).skipped).toBe(false);
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
    await a.trainer.step({ x0: xs[0]! });
    await b.trainer.step({ x0: xs[0]! });
    const count = tf.memory().numTensors;
    const state = await a.trainer.exportState();
    poisoned.on = true;
    await expect(a.trainer.step({ x0: xs[1]! })).rejects.toThrow(NonFiniteError);
    await expect(a.trainer.step({ x0: xs[1]! })).rejects.toThrow(
      /^The step 1 has loss Infinity and gradient norm/,
    );
    expect(tf.memory().numTensors).toBe(count);
    expect(await a.trainer.exportState()).toEqual(state);
    poisoned.on = false;
    // The failed steps consumed nothing: the next step is the one an untouched trainer takes.
    expect(await a.trainer.step({ x0: xs[1]! })).toEqual(await b.trainer.step({ x0: xs[1]! }));
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
    const before = await a.trainer.exportState();
    state.fail = true;
    await expect(a.trainer.step({ x0: xs[0]! })).rejects.toThrow("loss failed");
    state.fail = false;
    // The trainer's own read (the [3 + 4B] read-back, made after the gradients) fails, as on a lost
    // device. Other reads (the state's) are left alone.
    const { data } = tf.Tensor.prototype;
    const lost = (x: tf.Tensor) => x.size === 3 + 4 * 16;
    vi.spyOn(tf.Tensor.prototype, "data").mockImplementation(function (this: tf.Tensor) {
      return lost(this) ? Promise.reject(new Error("device lost")) : data.call(this);
    } as typeof data);
    await expect(a.trainer.step({ x0: xs[0]! })).rejects.toThrow("device lost");
    vi.restoreAllMocks();
    expect(tf.memory().numTensors).toBe(count);
    expect(await a.trainer.exportState()).toEqual(before);
    expect(await a.trainer.step({ x0: xs[1]! })).toEqual(await b.trainer.step({ x0: xs[1]! }));
    a.dispose();
    b.dispose();
    tf.dispose(xs);
  });

  it("refuses every call while a step is in flight, naming it, and completes that step untouched", async () => {
    const xs = batches(2);
    const a = setup();
    const ref = setup();
    const refState = await ref.trainer.exportState(); // before: awaiting lets a pending step finish
    const pending = a.trainer.step({ x0: xs[0]! });
    expect(a.trainer.stepCount).toBe(0);
    const second = a.trainer.step({ x0: xs[1]! }).catch((e: unknown) => e);
    const exported = a.trainer.exportState().catch((e: unknown) => e);
    expect(() => a.trainer.importState(refState)).toThrow(/^importState was called while/);
    expect(() => a.trainer.dispose()).toThrow(/^dispose was called while/);
    const refused = await second;
    expect(refused).toBeInstanceOf(TrainerBusyError);
    expect((refused as Error).message).toMatch(
      /^step was called while the trainer's step 0 is still in flight; expected that step to settle first/,
    );
    expect((await exported) as Error).toBeInstanceOf(TrainerBusyError);
    expect(((await exported) as Error).message).toMatch(/^exportState was called while/);
    // The refused calls changed nothing: the pending step and the next are the reference's.
    expect(await pending).toEqual(await ref.trainer.step({ x0: xs[0]! }));
    expect(await a.trainer.step({ x0: xs[1]! })).toEqual(await ref.trainer.step({ x0: xs[1]! }));
    expect(await a.trainer.exportState()).toEqual(await ref.trainer.exportState());
    expect(values(a.model.params)).toEqual(values(ref.model.params));
    a.dispose();
    ref.dispose();
    tf.dispose(xs);
  });

  it("exports the state as it was when called, whatever a step does while the reads are awaited", async () => {
    const xs = batches(2);
    const a = setup();
    const ref = setup();
    await a.trainer.step({ x0: xs[0]! });
    await ref.trainer.step({ x0: xs[0]! });
    const exported = a.trainer.exportState();
    await a.trainer.step({ x0: xs[1]! }); // moves the optimizer and EMA tensors the export holds
    expect(await exported).toEqual(await ref.trainer.exportState());
    a.dispose();
    ref.dispose();
    tf.dispose(xs);
  });
});
