// Deterministic training of the MNIST feature network: seeded initialisation, shuffling and
// augmentation (random shifts of up to `shift` pixels, Rng), Adam (Kingma & Ba 2015, Alg. 1) with a
// cosine learning-rate decay (Loshchilov & Hutter 2017, Eq. 5, no restarts) on softmax
// cross-entropy, fixed epochs. Same seed and backend, same weights.
import { Rng, tf } from "@scm/backend";
import { type Dataset, sampleWithoutReplacement } from "@scm/data";
import { formatShape } from "@scm/errors";
import { FidInputError } from "./errors.js";
import { initMnistParams, type MnistParams, mnistForward, mnistPredict } from "./mnist-net.js";

/** Options of `trainMnistNet`. */
export interface TrainMnistOptions {
  /** Epochs over the training set (default 20). */
  epochs?: number;
  /** Largest random shift of the training digits, in pixels (default 2; 0 turns augmentation off). */
  shift?: number;
  /** Batch size (default 64). */
  batchSize?: number;
  /** Adam's peak learning rate, decayed to 0 by a cosine (default 2e-3). */
  learningRate?: number;
  /** Seed of initialisation and shuffling (default 0). */
  seed?: number;
  /** Called after each epoch with its mean training loss. */
  onEpoch?: (epoch: number, loss: number) => void;
}

// The labels of a set of digits [N, 28, 28, 1] in [−1, 1] (as `loadMnist` of @scm/data gives them).
function digitLabels(set: Dataset): Int32Array {
  const [h, w, c] = set.sampleShape;
  if (set.sampleShape.length !== 3 || h !== 28 || w !== 28 || c !== 1 || set.labels === undefined) {
    throw new FidInputError(
      set.name,
      `Dataset "${set.name}" has samples ${formatShape(set.sampleShape)}${set.labels === undefined ? " and no labels" : ""}; expected labelled digits [28, 28, 1].`,
    );
  }
  return set.labels;
}

/** Trains the MNIST feature network from scratch on labelled digits [N, 28, 28, 1] in [−1, 1]; returns its parameters (tfjs variables). */
export function trainMnistNet(train: Dataset, options: TrainMnistOptions = {}): MnistParams {
  const labels = digitLabels(train);
  const epochs = options.epochs ?? 20;
  const batchSize = options.batchSize ?? 64;
  const shift = options.shift ?? 2;
  const peak = options.learningRate ?? 2e-3;
  const rng = Rng.seeded(options.seed ?? 0);
  const params = initMnistParams(rng.nextUint32());
  const vars = params as Record<string, tf.Variable>;
  const adam = new Adam(vars);
  const n = train.n;
  const steps = epochs * Math.floor(n / batchSize);
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = sampleWithoutReplacement(rng, n, n);
    let total = 0;
    let batches = 0;
    for (let b0 = 0; b0 + batchSize <= n; b0 += batchSize) {
      const x = new Float32Array(batchSize * 784);
      const y = new Int32Array(batchSize);
      for (let i = 0; i < batchSize; i++) {
        const k = order[b0 + i]!;
        const dy = shift > 0 ? Math.floor(rng.uniform() * (2 * shift + 1)) - shift : 0;
        const dx = shift > 0 ? Math.floor(rng.uniform() * (2 * shift + 1)) - shift : 0;
        shiftDigit(train.x, k, dy, dx, x, i);
        y[i] = labels[k]!;
      }
      const lr = 0.5 * peak * (1 + Math.cos((Math.PI * step) / steps));
      const loss = tf.tidy(() => {
        const xs = tf.tensor4d(x, [batchSize, 28, 28, 1]);
        const ys = tf.oneHot(tf.tensor1d(y, "int32"), 10);
        const { value, grads } = tf.variableGrads(
          () => tf.losses.softmaxCrossEntropy(ys, mnistForward(params, xs).logits) as tf.Scalar,
          Object.values(vars),
        );
        adam.step(grads, lr);
        return value;
      });
      total += loss.dataSync()[0]!;
      loss.dispose();
      batches++;
      step++;
    }
    options.onEpoch?.(epoch, total / Math.max(batches, 1));
  }
  adam.dispose();
  return params;
}

// Digit k moved by (dy, dx) pixels into row i of `out`; uncovered pixels are background (−1).
function shiftDigit(
  images: Float32Array,
  k: number,
  dy: number,
  dx: number,
  out: Float32Array,
  i: number,
): void {
  const src = k * 784;
  const dst = i * 784;
  for (let y = 0; y < 28; y++) {
    const sy = y - dy;
    for (let x = 0; x < 28; x++) {
      const sx = x - dx;
      out[dst + y * 28 + x] = sy >= 0 && sy < 28 && sx >= 0 && sx < 28 ? images[src + sy * 28 + sx]! : -1;
    }
  }
}

// Adam with bias correction (Kingma & Ba 2015, Alg. 1; β1 = 0.9, β2 = 0.999, ε = 1e-8).
class Adam {
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private t = 0;

  constructor(private readonly vars: Record<string, tf.Variable>) {
    const zeros = (p: tf.Tensor) => {
      const z = tf.zerosLike(p);
      const v = tf.variable(z, false);
      z.dispose(); // the variable keeps its own reference to the data
      return v;
    };
    for (const [name, p] of Object.entries(vars)) {
      this.m.set(name, zeros(p));
      this.v.set(name, zeros(p));
    }
  }

  step(grads: tf.NamedTensorMap, lr: number): void {
    this.t++;
    const c1 = 1 - 0.9 ** this.t;
    const c2 = 1 - 0.999 ** this.t;
    for (const [name, p] of Object.entries(this.vars)) {
      const g = grads[p.name]!;
      const m = this.m.get(name)!;
      const v = this.v.get(name)!;
      m.assign(tf.add(tf.mul(m, 0.9), tf.mul(g, 0.1)));
      v.assign(tf.add(tf.mul(v, 0.999), tf.mul(tf.square(g), 0.001)));
      p.assign(tf.sub(p, tf.div(tf.mul(m, lr / c1), tf.add(tf.sqrt(tf.div(v, c2)), 1e-8))));
    }
  }

  dispose(): void {
    tf.dispose([...this.m.values(), ...this.v.values()]);
  }
}

/** Classification accuracy of the network on labelled digits [N, 28, 28, 1]. */
export function mnistAccuracy(params: MnistParams, set: Dataset, batchSize = 500): number {
  const labels = digitLabels(set);
  const n = set.n;
  let correct = 0;
  for (let b0 = 0; b0 < n; b0 += batchSize) {
    const m = Math.min(batchSize, n - b0);
    const xs = tf.tensor4d(set.x.subarray(b0 * 784, (b0 + m) * 784), [m, 28, 28, 1]);
    const predicted = mnistPredict(params, xs);
    xs.dispose();
    for (let i = 0; i < m; i++) if (predicted[i] === labels[b0 + i]) correct++;
  }
  return correct / n;
}
