import { loadNativeAddon, packConvGeometry } from "./dist/index.js";
const a = loadNativeAddon();
const rnd = (n) => Float32Array.from({ length: n }, () => Math.random() - 0.5);
const time = (f, n = 10) => { f(); let best = 1e9; for (let i = 0; i < n; i++) { const s = performance.now(); f(); best = Math.min(best, performance.now() - s); } return best; };
const n = 1024, A = rnd(n * n), B = rnd(n * n), C = new Float32Array(n * n);
const peakMs = time(() => a.sgemm(false, false, n, n, n, 1, A, B, 0, C));
console.log("peak GFLOP/s", (2 * n ** 3 / peakMs / 1e6).toFixed(0));
for (const [b, h, cin, cout, k] of [[32, 28, 32, 32, 3], [32, 14, 64, 64, 3], [32, 7, 64, 64, 3], [32, 14, 128, 64, 1], [32, 28, 96, 32, 3]]) {
  const g = packConvGeometry({ batch: b, inHeight: h, inWidth: h, inChannels: cin, outHeight: h, outWidth: h, outChannels: cout, filterHeight: k, filterWidth: k, strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1, padTop: (k - 1) / 2, padLeft: (k - 1) / 2 });
  const x = rnd(b * h * h * cin), w = rnd(k * k * cin * cout), bias = rnd(cout), y = new Float32Array(b * h * h * cout);
  const ms = time(() => a.conv2d(x, w, y, g, bias));
  const fresh = time(() => a.conv2d(x, w, new Float32Array(y.length), g, bias));
  const M = b * h * h, K = k * k * cin; const P = rnd(M * K);
  const gm = time(() => a.sgemm(false, false, M, cout, K, 1, P, w, 0, y));
  const flop = 2 * M * K * cout;
  console.log(`${b}x${h}x${h}x${cin}→${cout} k${k}: conv ${ms.toFixed(2)} ms ${(flop / ms / 1e6).toFixed(0)} GFLOP/s, fresh output ${fresh.toFixed(2)} ms; bare sgemm on patches ${(flop / gm / 1e6).toFixed(0)} GFLOP/s`);
}
