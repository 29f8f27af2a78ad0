// `pnpm bench`: the native backend against the addon's own sgemm and against tfjs's cpu and wasm
// backends, on the shapes of issue 8 (1024² matmul; 3×3 conv, batch 32, 28², 64→64, NHWC), plus a
// U-Net-like training step profiled by kernel. Prints a table and writes
// bench-results/native-<date>.json. Speed is reported here, never asserted in tests.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { it } from "vitest";
import { backendCandidates } from "../backends.js";
import { Rng } from "../rng.js";
import { nativeForTests } from "../testing/native.js";
import { type Tensor, tf } from "../tf.js";

const { addon, unavailable } = await nativeForTests();
const rng = Rng.seeded(1);
const normal = (shape: number[], std = 0.1) =>
  tf.tensor(rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1)), 0, std), shape);

// Runs f and waits for its outputs, disposing them.
function settle(f: () => Tensor | Tensor[]): () => void {
  return () => {
    const out = f();
    for (const t of Array.isArray(out) ? out : [out]) {
      t.dataSync();
      t.dispose();
    }
  };
}

// The best of `reps` rounds for each function, the functions interleaved within a round so that a
// ratio compares runs made under the same load (other tenants of the VM swing timings by ±50%).
function bestOf(reps: number, fns: (() => void)[]): number[] {
  for (const f of fns) f(); // warm-up: allocation, wasm compilation, page faults
  const best = fns.map(() => Number.POSITIVE_INFINITY);
  for (let r = 0; r < reps; r++) {
    fns.forEach((f, i) => {
      const t0 = performance.now();
      f();
      best[i] = Math.min(best[i]!, performance.now() - t0);
    });
  }
  return best; // ms
}

const N = 1024;
const matmulFlops = 2 * N ** 3;
const B = 32;
const S = 28;
const C = 64;
const convFlops = 2 * B * S * S * C * 9 * C;
const sgemmA = Float32Array.from({ length: N * N }, (_, i) => Math.sin(i));
const sgemmC = new Float32Array(N * N);
const sgemm = () => addon!.sgemm(false, false, N, N, N, 1, sgemmA, sgemmA, 0, sgemmC);

const kernel = (name: string, inputs: tf.NamedTensorMap, attrs: object) =>
  settle(() => tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as Tensor);
const convAttrs = { strides: 1, pad: "same", dataFormat: "NHWC", dimRoundingMode: undefined };

// The three convolution kernels of the issue's conv at batch b (inputs made once, outside timing).
function convFns(b: number, withFilterGrad = true): (() => void)[] {
  const x = normal([b, S, S, C]);
  const w = normal([3, 3, C, C]);
  const dy = normal([b, S, S, C]);
  const fns = [
    kernel(tf.Conv2D, { x, filter: w }, { ...convAttrs, dilations: 1 }),
    kernel(tf.Conv2DBackpropInput, { dy, filter: w }, { ...convAttrs, inputShape: x.shape }),
  ];
  if (withFilterGrad)
    fns.push(kernel(tf.Conv2DBackpropFilter, { x, dy }, { ...convAttrs, filterShape: w.shape }));
  return fns;
}

// Two 3×3 convs with a ReLU between, forward and backward to x and both filters, at batch b.
function twoConvStep(b: number): () => void {
  const x = normal([b, S, S, C]);
  const w1 = normal([3, 3, C, C]);
  const w2 = normal([3, 3, C, C]);
  const conv = (h: Tensor, w: Tensor) => tf.conv2d(h as tf.Tensor4D, w as tf.Tensor4D, 1, "same");
  const loss = (xi: Tensor, a: Tensor, c: Tensor) => tf.mean(tf.square(conv(tf.relu(conv(xi, a)), c)));
  return settle(() => tf.grads(loss)([x, w1, w2]));
}

// A U-Net-shaped step at MNIST scale (not @scm/nets' preset, which does not exist yet): GroupNorm,
// SiLU, a time embedding, a stride-2 down path, nearest upsampling and a channel concat, mean-square
// loss, gradients of every parameter.
function unetLikeStep(): { run: () => void; grads: () => Tensor[] } {
  const groupNorm = (h: Tensor, gamma: Tensor, beta: Tensor) => {
    const [b, hh, ww, c] = h.shape as [number, number, number, number];
    const g = tf.reshape(h, [b, hh, ww, 8, c / 8]);
    const { mean, variance } = tf.moments(g, [1, 2, 4], true);
    const n = tf.reshape(tf.mul(tf.sub(g, mean), tf.rsqrt(tf.add(variance, 1e-5))), h.shape);
    return tf.add(tf.mul(n, gamma), beta);
  };
  const silu = (h: Tensor) => tf.mul(h, tf.sigmoid(h));
  const conv = (h: Tensor, w: Tensor, s = 1) => tf.conv2d(h as tf.Tensor4D, w as tf.Tensor4D, s, "same");
  const p = [
    normal([3, 3, 1, 64]), // 0 stem
    normal([64], 1), // 1, 2 GroupNorm
    normal([64]),
    normal([3, 3, 64, 64]), // 3
    normal([64], 1), // 4, 5
    normal([64]),
    normal([3, 3, 64, 64]), // 6
    normal([3, 3, 64, 128]), // 7 down
    normal([128], 1), // 8, 9
    normal([128]),
    normal([3, 3, 128, 128]), // 10
    normal([3, 3, 192, 64]), // 11 up
    normal([3, 3, 64, 1]), // 12 out
    normal([B, 128]), // 13 time embedding
    normal([128, 64]), // 14
  ];
  const x = normal([B, S, S, 1], 1);
  const target = normal([B, S, S, 1], 1);
  const loss = (...q: Tensor[]) => {
    const h0 = conv(x, q[0]!);
    const emb = tf.reshape(tf.matMul(silu(q[13]!), q[14]!), [B, 1, 1, 64]);
    let h = tf.add(conv(silu(groupNorm(h0, q[1]!, q[2]!)), q[3]!), emb);
    h = tf.add(conv(silu(groupNorm(h, q[4]!, q[5]!)), q[6]!), h0);
    let d = conv(h, q[7]!, 2);
    d = tf.add(d, conv(silu(groupNorm(d, q[8]!, q[9]!)), q[10]!));
    const u = tf.image.resizeNearestNeighbor(d as tf.Tensor4D, [S, S]);
    const y = conv(conv(silu(tf.concat([u, h], 3)), q[11]!), q[12]!);
    return tf.mean(tf.square(tf.sub(y, target)));
  };
  const grads = () => tf.grads(loss)(p);
  return { run: settle(grads), grads };
}

const gemmKernels = new Set<string>([
  tf.BatchMatMul,
  tf._FusedMatMul,
  tf.Conv2D,
  tf.FusedConv2D,
  tf.Conv2DBackpropInput,
  tf.Conv2DBackpropFilter,
]);

// Kernel times of one run (tf.profile times every kernel on the cpu-family backends), split into
// GEMM-class and the rest.
async function profile(f: () => Tensor[]) {
  const info = await tf.profile(() => f());
  const byKernel: Record<string, number> = {};
  let gemmMs = 0;
  let otherMs = 0;
  for (const k of info.kernels) {
    const ms = Number(k.kernelTimeMs);
    byKernel[k.name] = (byKernel[k.name] ?? 0) + ms;
    if (gemmKernels.has(k.name)) gemmMs += ms;
    else otherMs += ms;
  }
  return { gemmMs, otherMs, byKernel };
}

function machine() {
  let avx512 = false;
  try {
    avx512 = /\bavx512f\b/.test(readFileSync("/proc/cpuinfo", "utf8"));
  } catch {}
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    avx512,
    node: process.version,
    blas: addon?.info().blas ?? "none",
    date: new Date().toISOString(),
  };
}

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : "–");
const gflops = (flops: number, ms: number) => flops / ms / 1e6;
const pct = (a: number, b: number) => `${fmt((100 * a) / b, 0)}%`;

it("measures the native backend against sgemm, cpu and wasm", { timeout: 900_000 }, async () => {
  if (addon === undefined) {
    console.log(`[bench] native backend unavailable: ${unavailable}`);
    return;
  }
  const m = machine();
  const loadBefore = loadavg()[0]!;
  await tf.setBackend("native");
  const native: Record<string, Record<string, number>> = {};
  for (const threads of [1, 2]) {
    addon.setThreads(threads);
    const a = normal([N, N]);
    const b = normal([N, N]);
    const [sgemmMs, matmulMs] = bestOf(15, [sgemm, settle(() => tf.matMul(a, b))]);
    const [convSgemmMs, fwd, bi, bf] = bestOf(12, [sgemm, ...convFns(B)]);
    const [step] = bestOf(12, [twoConvStep(B)]);
    native[threads] = {
      sgemmMs: sgemmMs!,
      matmulMs: matmulMs!,
      convSgemmMs: convSgemmMs!,
      fwd: fwd!,
      bi: bi!,
      bf: bf!,
      step: step!,
    };
  }
  addon.setThreads(addon.info().cpus);
  const unet = unetLikeStep();
  const [unetMs] = bestOf(5, [unet.run]);
  const unetProfile = await profile(unet.grads);
  const stepProfile = await profile(() => {
    const x = normal([B, S, S, C]);
    const w = [normal([3, 3, C, C]), normal([3, 3, C, C])];
    const conv = (h: Tensor, k: Tensor) => tf.conv2d(h as tf.Tensor4D, k as tf.Tensor4D, 1, "same");
    return tf.grads((xi: Tensor, a: Tensor, c: Tensor) => tf.mean(tf.square(conv(tf.relu(conv(xi, a)), c))))([
      x,
      ...w,
    ]);
  });

  // Baselines, one run each. The cpu backend's convolution gradients are plain loops (the two-conv
  // step takes minutes), so they run at a smaller batch, scaled to batch 32 (the work is linear in it).
  await tf.setBackend("cpu");
  const a = normal([N, N]);
  const [cpuMatmul] = bestOf(1, [settle(() => tf.matMul(a, a))]);
  const [cpuFwd] = bestOf(1, convFns(B, false).slice(0, 1));
  const [, cpuBi2, cpuBf2] = bestOf(1, convFns(2));
  const [cpuStep1] = bestOf(1, [twoConvStep(1)]);
  await backendCandidates.find((c) => c.name === "wasm")!.load();
  await tf.setBackend("wasm");
  const aw = normal([N, N]);
  const [wasmMatmul] = bestOf(2, [settle(() => tf.matMul(aw, aw))]);
  const [wasmFwd, wasmBi] = bestOf(2, convFns(B, false)); // wasm has no Conv2DBackpropFilter kernel
  await tf.setBackend("cpu");

  const n1 = native[1]!;
  const n2 = native[2]!;
  const torchMs = 106; // PyTorch CPU, 1 thread, this machine (issue 8): 104–108 ms
  const cpuGrad = { bi: cpuBi2! * (B / 2), bf: cpuBf2! * (B / 2) };
  const rows: string[][] = [
    ["work", "tfjs cpu", "tfjs wasm", "native 1 thread", "native 2 threads", "target, measured (2 threads)"],
    [
      "sgemm called directly, 1024² (GFLOP/s)",
      "",
      "",
      fmt(gflops(matmulFlops, n1.sgemmMs!)),
      fmt(gflops(matmulFlops, n2.sgemmMs!)),
      "reference",
    ],
    [
      "1024² matmul via tfjs (GFLOP/s)",
      fmt(gflops(matmulFlops, cpuMatmul!), 2),
      fmt(gflops(matmulFlops, wasmMatmul!), 2),
      fmt(gflops(matmulFlops, n1.matmulMs!)),
      fmt(gflops(matmulFlops, n2.matmulMs!)),
      `≥ 80% of sgemm: ${pct(n2.sgemmMs!, n2.matmulMs!)}`,
    ],
    ...(["fwd", "bi", "bf"] as const).map((key) => {
      const label = { fwd: "forward", bi: "input gradient", bf: "filter gradient" }[key];
      const cpuMs = key === "fwd" ? cpuFwd! : cpuGrad[key];
      const wasmCell = key === "bf" ? "no kernel" : fmt(key === "fwd" ? wasmFwd! : wasmBi!, 0);
      const cell = (n: Record<string, number>) =>
        `${fmt(n[key]!)} ms, ${fmt(gflops(convFlops, n[key]!), 0)} GFLOP/s`;
      return [
        `3×3 conv ${label}, b32 28² 64→64`,
        `${fmt(cpuMs, 0)} ms${key === "fwd" ? "" : "*"}`,
        key === "bf" ? wasmCell : `${wasmCell} ms`,
        cell(n1),
        cell(n2),
        `≥ 50% of sgemm: ${pct(n2.convSgemmMs!, n2[key]!)}`,
      ];
    }),
    [
      "two such convs, forward + backward",
      `${fmt((cpuStep1! * B) / 1000, 0)} s*`,
      "no kernel",
      `${fmt(n1.step!, 0)} ms`,
      `${fmt(n2.step!, 0)} ms`,
      `≤ 1.5× PyTorch's ${torchMs} ms: ${fmt(n2.step! / torchMs, 2)}×`,
    ],
    [
      "U-Net-like step (proxy), b32 28²",
      "",
      "no kernel",
      "",
      `${fmt(unetMs!, 0)} ms`,
      `outside GEMM-class kernels: ${pct(unetProfile.otherMs, unetProfile.gemmMs + unetProfile.otherMs)}`,
    ],
    [
      "MNIST U-Net preset: forward, jvp, sCT step",
      "",
      "",
      "",
      "",
      "≥ 20× wasm/cpu: @scm/backend-native README",
    ],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  const table = [
    line(rows[0]!),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...rows.slice(1).map(line),
  ];
  const load = `load average ${fmt(loadBefore, 1)} before, ${fmt(loadavg()[0]!, 1)} after (other jobs on the machine)`;
  const notes = [
    "* cpu gradients at batch 2 and the two-conv step at batch 1, scaled to batch 32. Each figure is the",
    "  best of several interleaved runs; ratios compare runs made in the same rounds.",
    `Two-conv step by kernel (2 threads): GEMM-class ${fmt(stepProfile.gemmMs)} ms, other ${fmt(stepProfile.otherMs)} ms.`,
    `U-Net-like step by kernel: GEMM-class ${fmt(unetProfile.gemmMs)} ms, other ${fmt(unetProfile.otherMs)} ms; ` +
      `largest others: ${Object.entries(unetProfile.byKernel)
        .filter(([k]) => !gemmKernels.has(k))
        .sort((x, y) => y[1] - x[1])
        .slice(0, 5)
        .map(([k, v]) => `${k} ${fmt(v)} ms`)
        .join(", ")}.`,
  ];
  console.log(
    [
      `Machine: ${m.cpu}, ${m.cores} cores, AVX-512 ${m.avx512 ? "yes" : "no"}, Node ${m.node}, ${m.blas}; ${load}`,
      ...table,
      ...notes,
    ].join("\n"),
  );
  const results = {
    machine: { ...m, loadBefore, loadAfter: loadavg()[0] },
    native,
    cpu: {
      matmulMs: cpuMatmul,
      fwdMs: cpuFwd,
      biBatch2Ms: cpuBi2,
      bfBatch2Ms: cpuBf2,
      stepBatch1Ms: cpuStep1,
    },
    wasm: { matmulMs: wasmMatmul, fwdMs: wasmFwd, biMs: wasmBi },
    unetLike: { ms: unetMs, ...unetProfile },
    twoConvProfile: stepProfile,
    table,
    notes,
  };
  mkdirSync("bench-results", { recursive: true });
  writeFileSync(`bench-results/native-${m.date.slice(0, 10)}.json`, `${JSON.stringify(results, null, 2)}\n`);
});
