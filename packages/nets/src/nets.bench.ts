// `pnpm bench`: per preset, forward, jvp (tangents on x and t, as Alg. 1) and forward+backward
// (tf.variableGrads over every trainable parameter) time per image, with the parameter count and the
// ratios jvp/forward and (forward+backward)/forward; one table, JSON in bench-results/nets-<backend>.json.
// Not a test: nothing asserts. The CIFAR-10 U-Net and DiT-S take many seconds per call on a CPU, so
// they run only with SCM_BENCH_LARGE=1 (their parameter counts are listed either way).
import { mkdirSync, writeFileSync } from "node:fs";
import { Rng, randomNormal, randomUniform, tf } from "@scm/backend";
import { jvp } from "@scm/jvp";
import { fastest } from "@scm/jvp/testing";
import { it } from "vitest";
import { countParams, initNetwork, type NetworkConfig, network } from "./network.js";
import { disposeParams } from "./params.js";
import { presets } from "./presets.js";
import { asJvpFn } from "./testing/index.js";

interface Row {
  preset: string;
  params: number;
  batch: number;
  forwardMsPerImage: number | null;
  jvpMsPerImage: number | null;
  forwardBackwardMsPerImage: number | null;
  jvpOverForward: number | null;
  fwdBwdOverForward: number | null;
}

function sampleShape(c: NetworkConfig): number[] {
  return c.kind === "mlp" ? [c.dim] : [c.resolution, c.resolution, c.channels];
}

function measure(name: string, c: NetworkConfig, batch: number, repeats: number, run: boolean): Row {
  const row: Row = {
    preset: name,
    params: countParams(c),
    batch,
    forwardMsPerImage: null,
    jvpMsPerImage: null,
    forwardBackwardMsPerImage: null,
    jvpOverForward: null,
    fwdBwdOverForward: null,
  };
  if (!run) return row;
  console.log(`measuring ${name} at batch ${batch} …`);
  const rng = Rng.seeded(0);
  const params = initNetwork(c, 0);
  const net = network(c, params);
  const x = randomNormal(rng, [batch, ...sampleShape(c)]);
  const t = randomUniform(rng, [batch], 0.1, 1.5);
  const tx = randomNormal(rng, x.shape);
  const tt = tf.onesLike(t);
  const label = c.numClasses > 0 ? tf.zeros([batch], "int32") : undefined;
  const options = { label, dropout: c.dropout > 0 ? Rng.seeded(1) : undefined };
  const fn = asJvpFn(net, options);
  const vars = Object.values(params).filter((v) => v.trainable);
  const [f, j, b] = fastest(
    [
      () => fn(x, t),
      () => jvp(fn, [x, t], [tx, tt]),
      () => {
        const { value, grads } = tf.variableGrads(() => {
          const { F, logvar } = fn(x, t);
          return tf.add(tf.mean(tf.square(F)), tf.mean(logvar)) as tf.Scalar;
        }, vars);
        return [value, ...Object.values(grads)];
      },
    ],
    repeats,
  ) as [number, number, number];
  tf.dispose([x, t, tx, tt, ...(label ? [label] : [])]);
  disposeParams(params);
  const per = (ms: number) => +(ms / batch).toFixed(2);
  return {
    ...row,
    forwardMsPerImage: per(f),
    jvpMsPerImage: per(j),
    forwardBackwardMsPerImage: per(b),
    jvpOverForward: +(j / f).toFixed(2),
    fwdBwdOverForward: +(b / f).toFixed(2),
  };
}

it("benchmarks forward, jvp and forward+backward per preset", () => {
  const large = globalThis.process?.env?.["SCM_BENCH_LARGE"] === "1";
  const rows = [
    measure("unet.tiny", presets.unet.tiny, 4, 3, true),
    measure("unet.mnist", presets.unet.mnist, 4, 2, true),
    measure("unet.cifar10", presets.unet.cifar10, 1, 1, large),
    measure("dit.tiny", presets.dit.tiny, 8, 3, true),
    measure("dit.small", presets.dit.small, 1, 1, large),
    measure("mlp.toy2d", presets.mlp.toy2d, 256, 3, true),
  ];
  console.log(`\n@scm/nets benchmark on tfjs ${tf.version.tfjs}, backend ${tf.getBackend()} (ms per image)`);
  console.table(rows);
  mkdirSync("bench-results", { recursive: true });
  const result = { backend: tf.getBackend(), tfjs: tf.version.tfjs, date: new Date().toISOString(), rows };
  writeFileSync(`bench-results/nets-${tf.getBackend()}.json`, `${JSON.stringify(result, null, 2)}\n`);
});
