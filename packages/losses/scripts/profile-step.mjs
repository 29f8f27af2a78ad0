// Kernel profile of the MNIST U-Net: forward / jvp / sCT step on the active backend (default native).
// Run from packages/losses after `pnpm build`: WHAT=forward|jvp|sct B=32 [OFF=kernel,…] node
// scripts/profile-step.mjs.
// Prints wall and summed kernel time, then per kernel: ms, calls, output elements; then the GEMM-class
// kernels by input shapes with their GFLOP/s (where the GEMM time goes, and which shapes run slowly).
import { gemmFlops, gemmKernelNames, initBackend, Rng, randomNormal, tf } from "@scm/backend";
import { jvp } from "@scm/jvp";
import { createTrainer, sctLoss } from "@scm/losses";
import { initUNet, presets, unet } from "@scm/nets";

const B = Number(process.env.B ?? 32);
const what = process.env.WHAT ?? "sct";
await initBackend({ backend: process.env.SCM_BACKEND ?? "native" });
// OFF=name,name unregisters those (fused) kernels first, e.g. to profile the state before them.
for (const name of (process.env.OFF ?? "").split(",").filter(Boolean))
  tf.unregisterKernel(name, tf.getBackend());
const config = presets.unet.mnist;
const r = config.resolution;
const params = initUNet(config, 3);
const net = unet(config, params);
const x = randomNormal(Rng.seeded(0), [B, r, r, config.channels], 1);
const t = tf.fill([B], 0.7);
const trainer = createTrainer({ student: net, params, loss: sctLoss(), emas: {} });
const fns = {
  forward: () =>
    tf.tidy(() => {
      net(x, t).F.dataSync();
    }),
  jvp: () =>
    tf.tidy(() => {
      const [o, d] = jvp((a, b) => net(a, b).F, [x, t], [x, tf.onesLike(t)]);
      o.dataSync();
      d.dataSync();
    }),
  sct: () => trainer.step({ x0: x }),
};
const fn = fns[what];
await fn();
const s = performance.now();
await fn();
const wall = performance.now() - s;
const info = await tf.profile(fn);
const agg = {};
let flops = 0;
for (const k of info.kernels) {
  // Add/Multiply of a 4-D activation by a [C] vector (conv bias, the norms' affine) apart from the rest.
  const vec =
    (k.name === "Add" || k.name === "Multiply") &&
    k.inputShapes?.[0]?.length === 4 &&
    k.inputShapes?.[1]?.length === 1;
  const key = vec ? `${k.name} [B,H,W,C]⊕[C]` : k.name;
  agg[key] ??= { ms: 0, n: 0, elems: 0 };
  const a = agg[key];
  a.ms += k.kernelTimeMs;
  a.n++;
  const out = k.outputShapes?.[0] ?? [];
  a.elems += out.reduce((p, q) => p * q, 1);
  flops += gemmFlops(k);
}
const total = Object.values(agg).reduce((p, a) => p + a.ms, 0);
const gemm = [...gemmKernelNames].reduce((p, n) => p + (agg[n]?.ms ?? 0), 0);
console.log(
  JSON.stringify({
    what,
    B,
    wallMs: wall,
    kernelMs: total,
    outsideGemmShare: 1 - gemm / total,
    kernels: info.kernels.length,
    gflop: flops / 1e9,
  }),
);
for (const [n, a] of Object.entries(agg)
  .sort((p, q) => q[1].ms - p[1].ms)
  .slice(0, 25))
  console.log(
    n.padEnd(24),
    a.ms.toFixed(1).padStart(8),
    String(a.n).padStart(6),
    (a.elems / 1e6).toFixed(1).padStart(8) + "M",
  );
// GEMM-class kernels by name and input shapes: time, calls and achieved GFLOP/s.
const byShape = new Map();
for (const k of info.kernels) {
  if (!gemmKernelNames.has(k.name)) continue;
  const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
  const a = byShape.get(key) ?? { ms: 0, flops: 0, n: 0 };
  a.ms += k.kernelTimeMs;
  a.flops += gemmFlops(k);
  a.n++;
  byShape.set(key, a);
}
console.log(`GEMM-class kernels: ${(flops / gemm / 1e6).toFixed(0)} GFLOP/s overall`);
for (const [key, a] of [...byShape].sort((p, q) => q[1].ms - p[1].ms).slice(0, 20))
  console.log(
    a.ms.toFixed(1).padStart(8),
    String(a.n).padStart(4),
    `${(a.flops / a.ms / 1e6).toFixed(0)} GFLOP/s`.padStart(13),
    key,
  );
trainer.dispose();
