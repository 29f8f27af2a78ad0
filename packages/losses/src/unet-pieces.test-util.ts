// What the U-Net benchmarks share: the MNIST U-Net's forward, jvp (x and t tangents) and sCT trainer
// step as functions that read their result back, the GEMM peak they are compared with, and a kernel
// profile of one piece (GEMM FLOPs, time inside and outside GEMM-class kernels).
import {
  backendCandidates,
  gemmFlops,
  gemmKernelNames,
  Rng,
  randomNormal,
  type Tensor,
  tf,
} from "@scm/backend";
import { jvp } from "@scm/jvp";
import { disposeParams, initUNet, type Params, presets, unet } from "@scm/nets";
import { sctLoss } from "./consistency.js";
import { createTrainer } from "./trainer.js";

export const pieces = ["forward", "jvp", "sct"] as const;
export type Piece = (typeof pieces)[number];

/** Makes `name` (a Node candidate of @scm/backend) the active backend; false, saying why, where it cannot load. */
export async function useBackend(name: "native" | "wasm" | "cpu"): Promise<boolean> {
  try {
    const tfjsName = await backendCandidates.find((c) => c.name === name)!.load();
    return await tf.setBackend(tfjsName);
  } catch (err) {
    console.log(`${name}: not available (${(err as Error).message.split("\n")[0]})`);
    return false;
  }
}

/** A timed piece: synchronous, or awaited until it settles (the trainer's step). */
export type Timed = () => void | Promise<void>;

/** The least of `reps` timed calls of `fn`, ms. */
export async function bestMs(fn: Timed, reps: number): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < reps; i++) best = Math.min(best, await timeMs(fn));
  return best;
}

/** The wall time of one call of `fn` until it settles, ms. */
export async function timeMs(fn: Timed): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface UNetPieces {
  readonly params: Params;
  /** The input x [B, 28, 28, 1] (N(0, 1)), t [B] (0.7 each) and the jvp's tangents (x and 1). */
  readonly x: Tensor;
  readonly t: Tensor;
  readonly run: Partial<Record<Piece, Timed>>;
  dispose(): void;
}

/**
 * `unet:mnist`'s three pieces on the active backend at batch b. With `perturb`, every parameter gets
 * N(0, perturb²) added, so the zero-initialised output convs no longer make F ≡ 0 (an agreement check
 * against another implementation needs outputs that depend on every layer).
 */
export function unetPieces(b: number, options: { withStep?: boolean; perturb?: number } = {}): UNetPieces {
  const { withStep = true, perturb = 0 } = options;
  const config = presets.unet.mnist;
  const r = config.resolution;
  const params = initUNet(config, 2);
  if (perturb > 0) {
    const rng = Rng.seeded(7);
    for (const p of Object.values(params)) {
      tf.tidy(() => (p as tf.Variable).assign(tf.add(p, randomNormal(rng.fork(), p.shape, perturb))));
    }
  }
  const net = unet(config, params);
  const x = randomNormal(Rng.seeded(0), [b, r, r, config.channels], 1);
  const t = tf.fill([b], 0.7);
  const run: Partial<Record<Piece, Timed>> = {
    forward: () => tf.tidy(() => void net(x, t).F.dataSync()),
    jvp: () =>
      tf.tidy(() => {
        const [y, dy] = jvp((a: Tensor, s: Tensor) => net(a, s).F, [x, t], [x, tf.onesLike(t)]);
        y.dataSync();
        dy.dataSync();
      }),
  };
  // The step trains the same parameters: the timings do not depend on their values.
  const trainer = withStep ? createTrainer({ student: net, params, loss: sctLoss(), emas: {} }) : undefined;
  if (trainer !== undefined)
    run.sct = async () => {
      await trainer.step({ x0: x });
    };
  return {
    params,
    x,
    t,
    run,
    dispose: () => {
      trainer?.dispose();
      disposeParams(params);
      tf.dispose([x, t]);
    },
  };
}

/**
 * The GEMM peak of the active (CPU) backend: GFLOP/s of square float32 matmuls through tfjs, the best
 * over sizes 512, 1024 and 2048 (one size alone can sit in a slow spot of a kernel's blocking). No read:
 * CPU backends run a kernel before it returns, and copying a 2048² result out would be timed too.
 */
export async function gemmPeak(): Promise<number> {
  let best = 0;
  for (const n of [512, 1024, 2048]) {
    const [a, b] = [tf.randomNormal([n, n]), tf.randomNormal([n, n])];
    const once = () => tf.matMul(a, b).dispose();
    once();
    best = Math.max(best, (2 * n ** 3) / ((await bestMs(once, n > 1024 ? 3 : 10)) * 1e6));
    tf.dispose([a, b]);
  }
  return best;
}

/** One call of `fn` under tf.profile: its GEMM GFLOPs, summed kernel time and the GEMM kernels' part. */
export interface KernelProfile {
  readonly gflop: number;
  readonly kernelMs: number;
  readonly gemmMs: number;
  /** Share of kernel time in kernels outside `gemmKernelNames`. */
  readonly nonGemmShare: number;
}

export async function kernelProfile(fn: Timed): Promise<KernelProfile> {
  const { kernels } = await tf.profile(fn);
  // kernelTimeMs is a number on CPU backends (a promise or an error only on GPU ones).
  const ms = (k: (typeof kernels)[number]) => (typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0);
  const kernelMs = kernels.reduce((s, k) => s + ms(k), 0);
  const gemmMs = kernels.filter((k) => gemmKernelNames.has(k.name)).reduce((s, k) => s + ms(k), 0);
  const gflop = kernels.reduce((s, k) => s + gemmFlops(k), 0) / 1e9;
  return { gflop, kernelMs, gemmMs, nonGemmShare: 1 - gemmMs / kernelMs };
}
