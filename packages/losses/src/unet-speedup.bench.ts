// `pnpm bench`: issue 8's U-Net target. The MNIST U-Net's forward, jvp (x and t tangents) and sCT
// trainer step, ms per image, on each backend this machine has (native and wasm at batch 32, tfjs's
// pure-JS cpu at batch 1: it takes ~50 s for one step), the speed-ups of native over the others, the
// share of native kernel time outside GEMM-class kernels, and the roofline: the GEMM FLOPs each piece
// needs divided by this machine's GEMM peak (a 1024² matmul on native, measured in the same run) is
// the least time any kernel set can take, so wasm's time over it bounds the speed-up over wasm that
// faster kernels can give. Writes bench-results/unet-speedup.json. Not a test: nothing here asserts.
import { mkdirSync, writeFileSync } from "node:fs";
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
import { disposeParams, initUNet, presets, unet } from "@scm/nets";
import { it } from "vitest";
import { sctLoss } from "./sct.js";
import { createTrainer } from "./trainer.js";

const env = globalThis.process?.env ?? {};
const batch = Number(env["SCM_BENCH_BATCH"] ?? 32);
const repeats = Number(env["SCM_BENCH_REPEATS"] ?? 3);
// The cpu step at batch 1 takes about a minute; SCM_BENCH_CPU_STEP=0 leaves it out.
const cpuStep = env["SCM_BENCH_CPU_STEP"] !== "0";
const pieces = ["forward", "jvp", "sct"] as const;
type Piece = (typeof pieces)[number];

interface Timing {
  msPerImage: number;
}
interface Profile {
  gflopPerImage: number;
  /** Share of kernel time in kernels outside gemmKernels. */
  nonGemmShare: number;
}

function bestMs(fn: () => void, reps: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** The three pieces on the active backend at batch b, each a function that reads its result back. */
function buildPieces(b: number, withStep: boolean) {
  const config = presets.unet.mnist;
  const r = config.resolution;
  const params = initUNet(config, 2);
  const net = unet(config, params);
  const x = randomNormal(Rng.seeded(0), [b, r, r, config.channels], 1);
  const t = tf.fill([b], 0.7);
  const run: Partial<Record<Piece, () => void>> = {
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
  if (trainer !== undefined) run.sct = () => void trainer.step({ x0: x });
  const dispose = () => {
    trainer?.dispose();
    disposeParams(params);
    tf.dispose([x, t]);
  };
  return { run, dispose };
}

async function use(name: "native" | "wasm" | "cpu"): Promise<boolean> {
  try {
    const tfjsName = await backendCandidates.find((c) => c.name === name)!.load();
    return await tf.setBackend(tfjsName);
  } catch (err) {
    console.log(`${name}: not available (${(err as Error).message.split("\n")[0]})`);
    return false;
  }
}

/** GFLOP/s of a 1024² float32 matmul through tfjs on the active backend, the best of a few. */
function gemmPeak(): number {
  const n = 1024;
  const [a, b] = [tf.randomNormal([n, n]), tf.randomNormal([n, n])];
  const once = () => tf.tidy(() => void tf.matMul(a, b).dataSync());
  once();
  const ms = bestMs(once, 10);
  tf.dispose([a, b]);
  return (2 * n ** 3) / (ms * 1e6);
}

it("benchmarks the MNIST U-Net on native against wasm and cpu, with the GEMM roofline", async () => {
  const timings: Record<string, Partial<Record<Piece, Timing>>> = {};
  const profiles: Partial<Record<Piece, Profile>> = {};
  let peak = Number.NaN;
  for (const name of ["native", "wasm", "cpu"] as const) {
    if (!(await use(name))) continue;
    const b = name === "cpu" ? 1 : batch;
    const { run, dispose } = buildPieces(b, name !== "cpu" || cpuStep);
    timings[name] = {};
    for (const piece of pieces) {
      const fn = run[piece];
      if (fn === undefined) continue;
      if (name !== "cpu") fn(); // warm-up (wasm compiles, native sizes its buffers); cpu is too slow
      timings[name]![piece] = { msPerImage: bestMs(fn, name === "cpu" ? 1 : repeats) / b };
      if (name === "native") {
        const { kernels } = await tf.profile(fn);
        // kernelTimeMs is a number on CPU backends (a promise or an error only on GPU ones).
        const ms = (k: (typeof kernels)[number]) => (typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0);
        const total = kernels.reduce((s, k) => s + ms(k), 0);
        const gemm = kernels.filter((k) => gemmKernelNames.has(k.name)).reduce((s, k) => s + ms(k), 0);
        const flops = kernels.reduce((s, k) => s + gemmFlops(k), 0);
        profiles[piece] = { gflopPerImage: flops / 1e9 / b, nonGemmShare: 1 - gemm / total };
      }
    }
    if (name === "native") peak = gemmPeak();
    dispose();
  }
  const native = timings["native"];
  if (native === undefined) {
    console.log("The native backend is not built here; nothing to compare (see @scm/backend-native).");
    return;
  }
  const rows = pieces.map((piece) => {
    const own = native[piece]!.msPerImage;
    const profile = profiles[piece]!;
    const floorMs = (profile.gflopPerImage / peak) * 1e3; // the roofline: GEMM work at peak
    const wasm = timings["wasm"]?.[piece]?.msPerImage;
    const cpu = timings["cpu"]?.[piece]?.msPerImage;
    return {
      piece,
      nativeMs: +own.toFixed(2),
      wasmMs: wasm === undefined ? null : +wasm.toFixed(2),
      cpuMsBatch1: cpu === undefined ? null : +cpu.toFixed(1),
      overWasm: wasm === undefined ? null : +(wasm / own).toFixed(2),
      overCpu: cpu === undefined ? null : +(cpu / own).toFixed(1),
      gflopPerImage: +profile.gflopPerImage.toFixed(3),
      rooflineMs: +floorMs.toFixed(2),
      ofRoofline: +(floorMs / own).toFixed(2),
      maxOverWasm: wasm === undefined ? null : +(wasm / floorMs).toFixed(1),
      nonGemmShare: +profile.nonGemmShare.toFixed(2),
    };
  });
  console.table(rows);
  const result = {
    batch,
    gemmPeakGflops: +peak.toFixed(1),
    threads: env["SCM_NATIVE_THREADS"] ?? "all",
    rows,
  };
  console.log(JSON.stringify(result));
  mkdirSync("bench-results", { recursive: true });
  writeFileSync("bench-results/unet-speedup.json", `${JSON.stringify(result, null, 2)}\n`);
});
