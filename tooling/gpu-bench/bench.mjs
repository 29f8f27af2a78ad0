// The MNIST U-Net (unet:mnist preset) on @scm/backend's webgpu backend: agreement with cpu, then
// forward, jvp and sCT step time per image at batch 128 and 512, the sCT step's kernels by GPU time,
// and the target of issue 14 (sCT step ≤ 4× the forward at batch 512). One JSON line per result.
// Bundled by build.mjs, run by run.sh (README.md beside this file).
import { initBackend, Rng, randomNormal, tf } from "@scm/backend";
import { jvp } from "@scm/jvp";
import { createTrainer, sctLoss } from "@scm/losses";
import { disposeParams, initUNet, presets, unet } from "@scm/nets";
import { randomizeParams } from "@scm/nets/testing";

const log = (o) => console.log(JSON.stringify(o));
const config = presets.unet.mnist;
const info = await initBackend({ backend: "webgpu" });
log({ backend: info.name, adapter: info.adapter, tfjs: tf.version.tfjs });

// 1. Agreement with cpu (batch 2, zero-initialised layers made live): forward and jvp, then the
// weights after two sCT steps from the same start (the trainer's Rng is host-side: same t and z).
async function agreement(backend) {
  await tf.setBackend(backend);
  const fresh = initUNet(config, 3);
  const params = randomizeParams(fresh, 4, 0.5);
  disposeParams(fresh);
  const x = randomNormal(Rng.seeded(0), [2, 28, 28, 1], 1);
  const t = tf.tensor1d([0.3, 1.1]);
  const net = unet(config, params);
  const [y, dy] = jvp((a, s) => net(a, s).F, [x, t], [x, tf.onesLike(t)]);
  const out = [await y.data(), await dy.data()];
  tf.dispose([y, dy, t]);
  const trainer = createTrainer({ student: net, params, loss: sctLoss(), emas: {} });
  for (let i = 0; i < 2; i++) await trainer.step({ x0: x });
  for (const v of Object.values(params)) out.push(await v.data());
  trainer.dispose();
  disposeParams(params);
  x.dispose();
  return out;
}
const relErr = (a, b) => {
  let e = 0;
  let s = 1e-30;
  for (let i = 0; i < b.length; i++) {
    e = Math.max(e, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return e / s;
};
if (process.env.SKIP_AGREE !== "1") {
  const ref = await agreement("cpu");
  const got = await agreement("webgpu");
  log({
    agreement: "webgpu vs cpu, batch 2",
    forward: relErr(got[0], ref[0]),
    jvp: relErr(got[1], ref[1]),
    weightsAfter2SctSteps: Math.max(...got.slice(2).map((v, i) => relErr(v, ref[i + 2]))),
  });
}
await tf.setBackend("webgpu");

// 2. Timings: the median of `reps` calls after two warm-ups, each read back so it has finished.
const reps = Number(process.env.REPS ?? 5);
async function medianMs(fn) {
  await fn();
  await fn();
  const ms = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    await fn();
    ms.push(performance.now() - start);
  }
  return ms.sort((a, b) => a - b)[ms.length >> 1];
}
const perImage = {};
for (const B of (process.env.BATCHES ?? "128,512").split(",").map(Number)) {
  const before = tf.memory().numTensors;
  const params = initUNet(config, 2);
  const net = unet(config, params);
  const x = randomNormal(Rng.seeded(0), [B, 28, 28, 1], 1);
  const t = tf.fill([B], 0.7);
  const trainer = createTrainer({ student: net, params, loss: sctLoss(), emas: {} });
  const pieces = {
    forward: async () => {
      const F = tf.tidy(() => net(x, t).F);
      await F.data();
      F.dispose();
    },
    jvp: async () => {
      const out = tf.tidy(() => jvp((a, s) => net(a, s).F, [x, t], [x, tf.onesLike(t)]));
      await Promise.all(out.map((o) => o.data()));
      tf.dispose(out);
    },
    sct: async () => {
      await trainer.step({ x0: x });
    },
  };
  const row = { batch: B };
  for (const [name, fn] of Object.entries(pieces))
    row[`${name}MsPerImage`] = +((await medianMs(fn)) / B).toFixed(4);
  row.sctOverForward = +(row.sctMsPerImage / row.forwardMsPerImage).toFixed(2);
  if (B === Number(process.env.PROFILE_BATCH ?? 128)) {
    // The step's kernels by GPU time (timestamp queries; 0 where the adapter has none).
    const { kernels } = await tf.profile(pieces.sct);
    const byName = {};
    for (const k of kernels) {
      const ms = await k.kernelTimeMs;
      byName[k.name] ??= { ms: 0, calls: 0 };
      byName[k.name].ms += typeof ms === "number" ? ms : 0;
      byName[k.name].calls += 1;
    }
    row.sctKernels = Object.entries(byName)
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 12)
      .map(([name, v]) => `${name} ${v.ms.toFixed(1)} ms × ${v.calls}`);
  }
  trainer.dispose();
  disposeParams(params);
  tf.dispose([x, t]);
  row.leakedTensors = tf.memory().numTensors - before;
  perImage[B] = row;
  log(row);
}
const at512 = perImage[512];
if (at512 !== undefined) {
  log({
    target: "sCT step ≤ 4× forward at batch 512",
    ratio: at512.sctOverForward,
    met: at512.sctOverForward <= 4,
  });
}
