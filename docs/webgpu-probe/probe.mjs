// The MNIST U-Net on tfjs-backend-webgpu in Node (Dawn through the `webgpu` package): agreement with
// the cpu backend after two sCT steps, matmul GFLOP/s, and forward / jvp / sCT step ms per image.
// Prints one JSON line per result. How to build and run it: README.md beside this file.
import "./setup-gpu.mjs"; // before the webgpu backend loads: it registers only if navigator.gpu exists
import "@tensorflow/tfjs-backend-webgpu";
import { Rng, randomNormal, tf } from "@scm/backend";
import { jvp } from "@scm/jvp";
import { createTrainer, sctLoss } from "@scm/losses";
import { disposeParams, initUNet, presets, unet } from "@scm/nets";

const log = (o) => console.log(JSON.stringify(o));
const config = presets.unet.mnist;
const r = config.resolution;

// 1. Agreement with the cpu backend (batch 2).
// Two sCT steps from the same start on the same batch (host-side Rng: same t and noise), then the
// parameters, the forward and the jvp. Zero-initialised tensors get random values first, so F ≠ 0.
const maxAbs = (a) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
async function trainAndEvaluate() {
  const x = randomNormal(Rng.seeded(0), [2, r, r, 1], 1);
  const params = initUNet(config, 3);
  let seed = 10;
  for (const v of Object.values(params))
    if (maxAbs(await v.data()) === 0) v.assign(randomNormal(Rng.seeded(seed++), v.shape, 0.05));
  const trainer = createTrainer({ student: unet(config, params), params, loss: sctLoss(), emas: {} });
  for (let i = 0; i < 2; i++) trainer.step({ x0: x });
  const values = {};
  for (const [k, v] of Object.entries(params)) values[k] = await v.data();
  const out = await evaluate(params, await x.data());
  trainer.dispose();
  disposeParams(params);
  x.dispose();
  return { values, out };
}
async function evaluate(params, xData) {
  const x = tf.tensor4d(xData, [2, r, r, 1]);
  const t = tf.tensor1d([0.3, 1.1]);
  const [y, dy] = jvp((a, s) => unet(config, params)(a, s).F, [x, t], [x, tf.onesLike(t)]);
  const res = { y: await y.data(), dy: await dy.data() };
  tf.dispose([x, t, y, dy]);
  return res;
}
const maxRel = (a, b) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m / maxAbs(b);
};
const B0 = process.env.PROBE_BACKEND ?? "webgpu";
const agree = process.env.SKIP_AGREE !== "1";
await tf.setBackend("cpu");
const ref = agree ? await trainAndEvaluate() : undefined;
const ok = await tf.setBackend(B0);
log({ webgpu: ok, adapter: ok ? (tf.backend().adapterInfo ?? null) : null, backend: tf.getBackend() });
if (!ok) process.exit(1);
// tfjs-backend-webgpu reads synchronously through OffscreenCanvas, which Node lacks; the trainer's two
// sync reads per step get zeros here (loss and ‖g‖ unread, no clipping set), every check reads async.
if (typeof OffscreenCanvas === "undefined" && B0 === "webgpu") {
  const be = tf.backend();
  be.readSync = (dataId) => {
    const info = be.tensorMap.get(dataId);
    const n = info.shape.reduce((a, b) => a * b, 1);
    return info.dtype === "int32" ? new Int32Array(n) : new Float32Array(n);
  };
}
if (agree) {
  const gpu = await trainAndEvaluate();
  const paramRel = Math.max(...Object.keys(ref.values).map((k) => maxRel(gpu.values[k], ref.values[k])));
  log({
    agreement: {
      afterTwoStepsParamRel: paramRel,
      forwardRel: maxRel(gpu.out.y, ref.out.y),
      jvpRel: maxRel(gpu.out.dy, ref.out.dy),
      maxAbsY: maxAbs(ref.out.y),
      maxAbsDy: maxAbs(ref.out.dy),
    },
  });
}
// 2. Speed: ms per image at several batches; leak = tensors left after each piece.
await tf.setBackend(B0);
for (const n of (process.env.MATMUL ?? "1024,4096").split(",").map(Number)) {
  const [a, b] = [tf.randomNormal([n, n]), tf.randomNormal([n, n])];
  const once = async () => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  };
  await once();
  await once();
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    await once();
    best = Math.min(best, performance.now() - s);
  }
  log({ matmul: n, gflops: +((2 * n ** 3) / (best * 1e6)).toFixed(1) });
  tf.dispose([a, b]);
}
for (const B of (process.env.BATCHES ?? "32,128,512").split(",").map(Number)) {
  const params = initUNet(config, 2);
  const net = unet(config, params);
  const x = randomNormal(Rng.seeded(0), [B, r, r, 1], 1);
  const t = tf.fill([B], 0.7);
  const p2 = initUNet(config, 3);
  const trainer = createTrainer({ student: unet(config, p2), params: p2, loss: sctLoss(), emas: {} });
  const fns = {
    forward: async () => {
      const y = tf.tidy(() => net(x, t).F);
      await y.data();
      y.dispose();
    },
    jvp: async () => {
      const [o, d] = tf.tidy(() => jvp((a, s) => net(a, s).F, [x, t], [x, tf.onesLike(t)]));
      await o.data();
      await d.data();
      tf.dispose([o, d]);
    },
    sct: async () => {
      trainer.step({ x0: x });
      await Object.values(p2)[0].data();
    },
  };
  const row = { B };
  for (const [k, fn] of Object.entries(fns)) {
    const before = tf.memory().numTensors;
    await fn();
    await fn();
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const s = performance.now();
      await fn();
      best = Math.min(best, performance.now() - s);
    }
    row[k] = +(best / B).toFixed(3);
    row[`${k}Leak`] = tf.memory().numTensors - before;
  }
  log(row);
  trainer.dispose();
  disposeParams(p2);
  disposeParams(params);
  tf.dispose([x, t]);
}
