// MNIST U-Net forward, jvp (x and t tangents) and sCT trainer step, ms per image, on the native
// backend with every fused kernel ("native"), without the conv + bias kernel ("nobias"), with SiLU and
// standardize only ("prev": before the modulation and conv-bias kernels), without any ("unfused":
// unregistered, so @scm/jvp's primitives and @scm/nets run their composed ops), and the forward and jvp
// on wasm (no Conv2DBackpropFilter, so no step). Run from packages/losses after `pnpm build`:
// B=32 REPS=3 WHICH=native,prev,native,prev node scripts/fused-bench.mjs (modes listed twice keep the
// best of each). Prints one JSON line per mode; leak is the tensor count left over.
import { backendCandidates, FusedKernel, initBackend, Rng, randomNormal, tf } from "@scm/backend";
import { jvp } from "@scm/jvp";
import { createTrainer, sctLoss } from "@scm/losses";
import { disposeParams, initUNet, presets, unet } from "@scm/nets";

const B = Number(process.env.B ?? 32);
const reps = Number(process.env.REPS ?? 3);
const which = (process.env.WHICH ?? "native,prev,unfused,wasm").split(",");
await initBackend({ backend: "native" });
const config = presets.unet.mnist;
const r = config.resolution;
const saved = {};
for (const name of Object.values(FusedKernel)) saved[name] = tf.getKernel(name, "native");

async function bestMs(fn) {
  await fn();
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const s = performance.now();
    await fn();
    best = Math.min(best, performance.now() - s);
  }
  return best / B;
}
async function measure(train) {
  const before = tf.memory().numTensors;
  const params = initUNet(config, 2);
  const net = unet(config, params);
  const x = randomNormal(Rng.seeded(0), [B, r, r, config.channels], 1);
  const t = tf.fill([B], 0.7);
  const read = (o) => {
    o.F.dataSync();
  };
  const res = {};
  res.forward = await bestMs(() => tf.tidy(() => read(net(x, t))));
  res.jvp = await bestMs(() =>
    tf.tidy(() => {
      const [o, d] = jvp((a, b) => net(a, b).F, [x, t], [x, tf.onesLike(t)]);
      o.dataSync();
      d.dataSync();
    }),
  );
  if (train) {
    const p2 = initUNet(config, 3);
    const trainer = createTrainer({ student: unet(config, p2), params: p2, loss: sctLoss(), emas: {} });
    res.sct = await bestMs(() => trainer.step({ x0: x }));
    trainer.dispose();
    disposeParams(p2);
  }
  x.dispose();
  t.dispose();
  disposeParams(params);
  res.leak = tf.memory().numTensors - before;
  return res;
}
const out = {};
// Runs listed twice (WHICH=native,unfused,native,unfused) keep the fastest of each: interleaving
// spreads other load on the machine over both.
function keepBest(name, res) {
  out[name] ??= res;
  for (const [k, v] of Object.entries(res)) if (k !== "leak") out[name][k] = Math.min(out[name][k], v);
  out[name].leak = Math.max(out[name].leak, res.leak);
}
// Which fused kernels each mode unregisters.
const off = {
  unfused: () => true,
  prev: (n) => n.startsWith("ScmFusedScaleShift") || n === FusedKernel.conv2dBias,
  nobias: (n) => n === FusedKernel.conv2dBias,
};
for (const w of which) {
  if (w === "native") {
    await tf.setBackend("native");
    for (const [n, c] of Object.entries(saved))
      if (tf.getKernel(n, "native") === undefined) tf.registerKernel(c);
    keepBest("native", await measure(true));
  } else if (w in off) {
    await tf.setBackend("native");
    for (const [n, c] of Object.entries(saved)) {
      const on = tf.getKernel(n, "native") !== undefined;
      if (off[w](n) && on) tf.unregisterKernel(n, "native");
      if (!off[w](n) && !on) tf.registerKernel(c);
    }
    keepBest(w, await measure(true));
  } else if (w === "wasm") {
    await backendCandidates.find((c) => c.name === "wasm").load();
    await tf.setBackend("wasm");
    keepBest("wasm", await measure(false));
  }
  console.log(w, JSON.stringify(out[w]));
}
