// `pnpm bench`: issue 8's U-Net target. The MNIST U-Net's forward, jvp (x and t tangents) and sCT
// trainer step, ms per image, on each backend this machine has (native and wasm at batch 32, tfjs's
// pure-JS cpu at batch 1: it takes ~50 s for one step), the speed-ups of native over the others, the
// share of native kernel time outside GEMM-class kernels, and the roofline: the GEMM FLOPs each piece
// needs divided by this machine's GEMM peak (a 1024² matmul on native, measured in the same run) is
// the least time any kernel set can take, so wasm's time over it bounds the speed-up over wasm that
// faster kernels can give. Writes bench-results/unet-speedup.json. Not a test: nothing here asserts.
import { mkdirSync, writeFileSync } from "node:fs";
import { it } from "vitest";
import {
  bestMs,
  gemmPeak,
  kernelProfile,
  type Piece,
  pieces,
  unetPieces,
  useBackend,
} from "./unet-pieces.test-util.js";

const env = globalThis.process?.env ?? {};
const batch = Number(env["SCM_BENCH_BATCH"] ?? 32);
const repeats = Number(env["SCM_BENCH_REPEATS"] ?? 3);
// The cpu step at batch 1 takes about a minute; SCM_BENCH_CPU_STEP=0 leaves it out.
const cpuStep = env["SCM_BENCH_CPU_STEP"] !== "0";

interface Timing {
  msPerImage: number;
}
interface Profile {
  gflopPerImage: number;
  /** Share of kernel time in kernels outside gemmKernels. */
  nonGemmShare: number;
}

it("benchmarks the MNIST U-Net on native against wasm and cpu, with the GEMM roofline", async () => {
  const timings: Record<string, Partial<Record<Piece, Timing>>> = {};
  const profiles: Partial<Record<Piece, Profile>> = {};
  let peak = Number.NaN;
  for (const name of ["native", "wasm", "cpu"] as const) {
    if (!(await useBackend(name))) continue;
    const b = name === "cpu" ? 1 : batch;
    const { run, dispose } = unetPieces(b, { withStep: name !== "cpu" || cpuStep });
    timings[name] = {};
    for (const piece of pieces) {
      const fn = run[piece];
      if (fn === undefined) continue;
      if (name !== "cpu") await fn(); // warm-up (wasm compiles, native sizes its buffers); cpu is too slow
      timings[name]![piece] = { msPerImage: (await bestMs(fn, name === "cpu" ? 1 : repeats)) / b };
      if (name === "native") {
        const profile = await kernelProfile(fn);
        profiles[piece] = { gflopPerImage: profile.gflop / b, nonGemmShare: profile.nonGemmShare };
      }
    }
    if (name === "native") peak = await gemmPeak();
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
