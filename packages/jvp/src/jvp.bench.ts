// `pnpm bench`: time(jvp)/time(forward) and peak tensor bytes for the composite net and for attention
// (direct vs blockwise, App. F), printed as tables and written to bench-results/jvp.json. Not a test:
// nothing here asserts. Sizes suit a 2-core CPU (a few seconds).
import { mkdirSync, writeFileSync } from "node:fs";
import { Rng, randomNormal, type Tensor, tf } from "@scm/backend";
import { it } from "vitest";
import { jvp } from "./jvp.js";
import { attention } from "./ops/attention.js";
import { fastest, tinyNet } from "./testing/index.js";

/** Peak tensor bytes above the starting level while `fn` runs (tf.profile's high-water mark). */
async function peakBytes(fn: () => tf.TensorContainer): Promise<number> {
  const start = tf.memory().numBytes;
  const info = await tf.profile(() => tf.dispose(fn()));
  return Math.max(info.peakBytes - start, 0);
}

interface Row {
  case: string;
  forwardMs: number;
  jvpMs: number;
  ratio: number;
  forwardPeakKiB: number;
  jvpPeakKiB: number;
}

async function measure(
  name: string,
  forward: () => Tensor,
  tangent: () => [Tensor, Tensor],
  repeats: number,
): Promise<Row> {
  const [forwardMs, jvpMs] = fastest([forward, tangent], repeats) as [number, number];
  return {
    case: name,
    forwardMs: +forwardMs.toFixed(2),
    jvpMs: +jvpMs.toFixed(2),
    ratio: +(jvpMs / forwardMs).toFixed(2),
    forwardPeakKiB: Math.round((await peakBytes(forward)) / 1024),
    jvpPeakKiB: Math.round((await peakBytes(tangent)) / 1024),
  };
}

it("benchmarks jvp against the forward pass", async () => {
  const rng = Rng.seeded(0);
  const rows: Row[] = [];

  // The composite net: tangents on x and t (Alg. 1), parameters symbolic zeros.
  const net = tinyNet(rng, 16);
  const x = randomNormal(rng, [2, 8, 8, 3]);
  const t = tf.tensor1d([0.2, 1.4]);
  const tx = randomNormal(rng, x.shape);
  const tt = tf.onesLike(t);
  for (const mode of ["direct", "blockwise"] as const) {
    const opts = { mode, blockSize: 8 };
    rows.push(
      await measure(
        `tinyNet C=16, x [2,8,8,3], ${mode} attention`,
        () => net.apply(x, t, opts),
        () => jvp((a, b) => net.apply(a, b, opts), [x, t], [tx, tt]),
        9,
      ),
    );
  }

  // Attention alone, [1, 1 head, T, 16], tangents on q, k, v.
  for (const T of [64, 128, 256, 512]) {
    const [q, k, v, tq, tk, tv] = Array.from({ length: 6 }, () => randomNormal(rng, [1, 1, T, 16]));
    for (const mode of ["direct", "blockwise"] as const) {
      const opts = { mode, blockSize: 32 };
      rows.push(
        await measure(
          `attention T=${T}, ${mode}`,
          () => attention(q!, k!, v!, opts),
          () => jvp((a, b, c) => attention(a, b, c, opts), [q!, k!, v!], [tq!, tk!, tv!]),
          5,
        ),
      );
    }
    tf.dispose([q!, k!, v!, tq!, tk!, tv!]);
  }
  net.dispose();
  tf.dispose([x, t, tx, tt]);

  console.log(`\n@scm/jvp benchmark on tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}`);
  console.table(rows);
  mkdirSync("bench-results", { recursive: true });
  writeFileSync(
    "bench-results/jvp.json",
    `${JSON.stringify({ backend: tf.getBackend(), tfjs: tf.version.tfjs, date: new Date().toISOString(), rows }, null, 2)}\n`,
  );
});
