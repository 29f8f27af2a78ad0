// The stack on tfjs's webgpu backend against cpu, the reference: the tiny U-Net's forward and JVP,
// a few sCT, sCD and diffusion trainer steps, flat tensor counts, and an exported state that resumes
// bit for bit on webgpu. In CI it runs on lavapipe (Mesa's Vulkan on the CPU; .ci/run unpacks it), so
// it checks the WGSL kernels' arithmetic, not their speed. Skips, with the reason, where no adapter
// exists and CI is not set (packages/backend/README.md "webgpu").
import { type Tensor, tf } from "@scm/backend";
import { relativeError, valueMismatches } from "@scm/backend/testing/compare-backends";
import { runOnAsync, webgpuForTests } from "@scm/backend/testing/webgpu";
import { convPath, convSame, jvp, rowsMatMul } from "@scm/jvp";
import { initUNet, presets, unet } from "@scm/nets";
import { randomizeParams } from "@scm/nets/testing";
import { keepTensorCount } from "@scm/vitest-config/tensor-count";
import { describe, expect, it } from "vitest";
import { scdLoss, sctLoss } from "./consistency.js";
import { diffusionLoss } from "./diffusion.js";
import { createTrainer, type StepResult, type TrainerOptions } from "./trainer.js";
import type { Loss } from "./types.js";

keepTensorCount(() => tf.memory().numTensors);

const gpu = await webgpuForTests();
if (gpu.skip !== undefined) console.warn(`The webgpu suite is skipped: ${gpu.skip}`);
const config = presets.unet.tiny!; // 8×8×3, attention at 4×4, dropout, labels: every path of the U-Net
const B = 4;

// Host copies made on cpu: each backend builds its own tensors from them (tfjs would otherwise move a
// webgpu tensor to cpu with a synchronous read, which Node's webgpu lacks).
interface HostParam {
  readonly shape: number[];
  readonly data: Float32Array;
  readonly trainable: boolean;
}
function hostParams(seed: number): Record<string, HostParam> {
  const fresh = initUNet(config, seed);
  const live = randomizeParams(fresh, seed + 1, 0.5); // zero-initialised layers made live
  const out = Object.fromEntries(
    Object.entries(live).map(([k, v]) => [
      k,
      { shape: [...v.shape], data: Float32Array.from(v.dataSync()), trainable: v.trainable },
    ]),
  );
  tf.dispose([...Object.values(fresh), ...Object.values(live)]);
  return out;
}
const student = hostParams(1);
const teacher = hostParams(11);
const noise = (n: number, seed: number) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7919 + i * 12.9898) * 0.9);
const x0s = [0, 1, 2].map((k) => noise(B * 8 * 8 * 3, k + 1)); // three batches in [−0.9, 0.9]
const labels = [3, 1, 4, 10]; // 10: the null label

const variables = (host: Record<string, HostParam>) =>
  Object.fromEntries(
    Object.entries(host).map(([k, p]) => [
      k,
      tf.tidy(() => tf.variable(tf.tensor(p.data, p.shape), p.trainable)),
    ]),
  );

/** The largest relative error over named results (max |a − b| / max |b| per tensor). */
function worst(
  a: { shape: number[]; values: Float32Array }[],
  b: { shape: number[]; values: Float32Array }[],
): number {
  expect(a.map((t) => t.shape)).toEqual(b.map((t) => t.shape));
  return Math.max(...a.map((t, i) => relativeError(t, b[i]!)));
}

/** A loss on the current backend and what frees it (the sCD teacher's weights). */
type MadeLoss = { readonly loss: Loss; dispose(): void };
const losses: [string, () => MadeLoss][] = [
  ["sCT", () => ({ loss: sctLoss({ tangentWarmup: 2 }), dispose: () => {} })],
  [
    "sCD",
    () => {
      const weights = variables(teacher);
      const loss = scdLoss({ teacher: unet(config, weights), tangentWarmup: 2 });
      return { loss, dispose: () => tf.dispose(Object.values(weights)) };
    },
  ],
  ["diffusion", () => ({ loss: diffusionLoss(), dispose: () => {} })],
];

interface Trained {
  readonly results: StepResult[];
  readonly params: Tensor[];
  /** Tensor counts after each step (the first includes the optimizer's and EMAs' lazily made state). */
  readonly counts: number[];
}

/** `steps` trainer steps from `student` on the current backend; the trainer and its inputs are freed. */
async function train(
  loss: () => MadeLoss,
  steps: number,
  extra: Partial<TrainerOptions> = {},
): Promise<Trained> {
  const params = variables(student);
  const made = loss();
  const trainer = createTrainer({
    student: unet(config, params),
    params,
    loss: made.loss,
    gradientClip: 1,
    emas: { ema: { kind: "power", sigmaRel: 0.05 } },
    seed: 5,
    ...extra,
  });
  const label = tf.tensor1d(labels, "int32");
  const results: StepResult[] = [];
  const counts: number[] = [];
  for (let i = 0; i < steps; i++) {
    const x0 = tf.tensor4d(x0s[i % x0s.length]!, [B, 8, 8, 3]);
    results.push(await trainer.step({ x0, label }));
    x0.dispose();
    counts.push(tf.memory().numTensors);
  }
  const out = Object.values(params).map((p) => p.clone());
  trainer.dispose();
  made.dispose();
  tf.dispose([label, ...Object.values(params)]);
  return { results, params: out, counts };
}

describe.skipIf(gpu.skip !== undefined)(`the tiny U-Net on webgpu (${gpu.skip ?? gpu.adapter})`, () => {
  it("gives cpu's forward F and its JVP in (x, t) to 1e-5 of their scale", async () => {
    const program = () => {
      const params = variables(student);
      const net = unet(config, params);
      const x = tf.tensor4d(x0s[0]!, [B, 8, 8, 3]);
      const t = tf.tensor1d([0.1, 0.5, 1.0, 1.5]);
      const label = tf.tensor1d(labels, "int32");
      const out = tf.tidy(() => {
        const { F, logvar } = net(x, t, { label });
        const [y, dy] = jvp((a: Tensor, s: Tensor) => net(a, s, { label }).F, [x, t], [x, tf.onesLike(t)]);
        return [F, logvar, y!, dy!];
      });
      tf.dispose([x, t, label, ...Object.values(params)]);
      return out;
    };
    const count = tf.memory().numTensors;
    const ref = await runOnAsync("cpu", program);
    const got = await runOnAsync("webgpu", program);
    expect(tf.memory().numTensors).toBe(count);
    // float32 sums in another order (tiled GEMMs, tree reductions) through ~20 layers: measured 5.5e-7
    // on lavapipe (Mesa 25.0.7), 2.9e-6 on an H200 for the MNIST U-Net (docs/webgpu-probe/README.md).
    expect(worst(got, ref)).toBeLessThan(1e-5);
    expect(Math.max(...ref[3]!.values.map(Math.abs))).toBeGreaterThan(0.1); // a live tangent, not zeros
  });

  it.each(losses)("takes cpu's %s trainer steps, with a flat tensor count", async (_, loss) => {
    const steps = 3;
    const run = async () => {
      const trained = await train(loss, steps);
      const results = trained.results;
      const read = await Promise.all(
        trained.params.map(async (p) => ({ shape: p.shape, values: Float32Array.from(await p.data()) })),
      );
      tf.dispose(trained.params);
      return { results, read, counts: trained.counts };
    };
    const count = tf.memory().numTensors;
    const previous = tf.getBackend();
    await tf.setBackend("cpu");
    const ref = await run();
    await tf.setBackend("webgpu");
    const got = await run().finally(() => tf.setBackend(previous));
    expect(tf.memory().numTensors).toBe(count);
    expect(got.counts.slice(1)).toEqual(got.counts.slice(1).map(() => got.counts[1])); // flat after step 1
    // Losses and ‖g‖ as float32 sums in another order: measured ≤ 9.7e-7 and ≤ 8.1e-8 relative (lavapipe).
    for (const [i, r] of got.results.entries()) {
      expect(Math.abs(r.loss - ref.results[i]!.loss) / ref.results[i]!.loss).toBeLessThan(1e-4);
      expect(Math.abs(r.gradNorm - ref.results[i]!.gradNorm) / ref.results[i]!.gradNorm).toBeLessThan(1e-4);
      expect(r.skipped).toBe(false);
    }
    // Weights after three steps: the updates are ~1e-4 of the weights' scale, so the gradients' ~1e-6
    // relative differences show as 4.5e-10 (sCT), 2.0e-9 (sCD), 1.7e-8 (diffusion) in θ on lavapipe.
    expect(worst(got.read, ref.read)).toBeLessThan(1e-6);
    // And the steps did move the weights, by 4.4e-4 of their scale (a step that "ran" but changed
    // nothing, as AddN's invalid command buffers once did on webgpu, would pass the check above).
    const start = Object.values(student).map((p) => ({ shape: p.shape, values: p.data }));
    expect(worst(got.read, start)).toBeGreaterThan(1e-6);
  });

  it("takes the GEMM conv gradients on webgpu, equal to tfjs's conv2d gradients on cpu", async () => {
    // B·H·W = 2·40·40 = 3200 rows: the filter gradient's reduction runs as two chunks plus padding.
    const [xs, ws, us] = [noise(2 * 40 * 40 * 8, 21), noise(3 * 3 * 8 * 16, 22), noise(2 * 40 * 40 * 16, 23)];
    const program = (ours: boolean) => () => {
      const x = tf.tensor4d(xs, [2, 40, 40, 8]);
      const w = tf.tensor4d(ws, [3, 3, 8, 16]);
      const u = tf.tensor4d(us, [2, 40, 40, 16]);
      const conv = ours
        ? convSame
        : (a: Tensor, b: Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "same");
      const grads = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(conv(a, b), u)))([x, w]);
      tf.dispose([x, w, u]);
      return grads;
    };
    const paths: string[] = [];
    const got = await runOnAsync("webgpu", () => {
      paths.push(convPath());
      return program(true)();
    });
    const ref = await runOnAsync("cpu", program(false)); // tfjs's Conv2DBackpropInput/Filter kernels
    expect(paths).toEqual(["gemmGrad"]);
    // Sums of 3200 (filter) and 144 (input) O(1) products in another order: measured 3.5e-6 on lavapipe.
    expect(worst(got, ref)).toBeLessThan(3e-5);
  });

  it("takes a matmul's weight gradient over 4100 rows in chunks on webgpu: the same bits every run, cpu's values", async () => {
    // xᵀ·∂L/∂y with K = 4100 and a 16×24 output is what tfjs-backend-webgpu gives its split-K matmul,
    // which adds atomically: tf.matMul(x, u, true) here differed by up to 1.5e-7 between runs on
    // lavapipe, and two scm-train runs on MNIST (1×1 convs over 16·28·28 rows) ended with optimizer
    // moments differing in their last bits, before rowsMatMul.
    const [xs, ws, us] = [noise(4100 * 16, 31), noise(16 * 24, 32), noise(4100 * 24, 33)];
    const program = (ours: boolean) => () => {
      const [x, w, u] = [tf.tensor2d(xs, [4100, 16]), tf.tensor2d(ws, [16, 24]), tf.tensor2d(us, [4100, 24])];
      const mm = ours ? rowsMatMul : (a: Tensor, b: Tensor) => tf.matMul(a, b);
      const grads = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(mm(a, b), u)))([x, w]);
      tf.dispose([x, w, u]);
      return grads;
    };
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await runOnAsync("webgpu", program(true)));
    const ref = await runOnAsync("cpu", program(false));
    for (const run of runs.slice(1)) {
      expect(valueMismatches(run[1]!.values, runs[0]![1]!.values)).toEqual([]);
      expect(valueMismatches(run[0]!.values, runs[0]![0]!.values)).toEqual([]);
    }
    // Sums of 4100 (weights) and 24 (inputs) O(1) products in another order.
    expect(worst(runs[0]!, ref)).toBeLessThan(3e-5);
  });

  it("resumes an exported state bit for bit on webgpu: 2 steps, export, import, 1 step = 3 steps", async () => {
    const previous = tf.getBackend();
    await tf.setBackend("webgpu");
    try {
      const count = tf.memory().numTensors;
      const straight = await train(losses[0]![1], 3);
      const params = variables(student);
      const options = { student: unet(config, params), params, loss: sctLoss({ tangentWarmup: 2 }) };
      const common = { gradientClip: 1, emas: { ema: { kind: "power" as const, sigmaRel: 0.05 } } };
      const first = createTrainer({ ...options, ...common, seed: 5 });
      const label = tf.tensor1d(labels, "int32");
      const batch = (i: number) => tf.tensor4d(x0s[i]!, [B, 8, 8, 3]);
      for (const i of [0, 1]) {
        const x0 = batch(i);
        await first.step({ x0, label });
        x0.dispose();
      }
      const state = await first.exportState();
      first.dispose();
      const second = createTrainer({ ...options, ...common, seed: 999 }); // everything from the state
      second.importState({ meta: JSON.parse(JSON.stringify(state.meta)), tensors: state.tensors });
      const x0 = batch(2);
      const resumed = await second.step({ x0, label });
      x0.dispose();
      second.dispose();
      expect(resumed).toEqual(straight.results[2]); // exact: loss, ‖g‖, diagnostics
      const a = await Promise.all(Object.values(params).map((p) => p.data()));
      const b = await Promise.all(straight.params.map((p) => p.data()));
      expect(a.map((v) => Array.from(v))).toEqual(b.map((v) => Array.from(v)));
      tf.dispose([label, ...Object.values(params), ...straight.params]);
      expect(tf.memory().numTensors).toBe(count);
    } finally {
      await tf.setBackend(previous);
    }
  });

  it("refuses a synchronous read of a device tensor with a SyncReadError naming the awaited one", async () => {
    const previous = tf.getBackend();
    await tf.setBackend("webgpu");
    try {
      const y = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), 1));
      expect(() => y.dataSync()).toThrow(
        'A synchronous read (dataSync/arraySync) is unavailable on backend "webgpu" in Node; read with await tensor.data().',
      );
      expect(Array.from(await y.data())).toEqual([2, 3]);
      y.dispose();
    } finally {
      await tf.setBackend(previous);
    }
  });
});
