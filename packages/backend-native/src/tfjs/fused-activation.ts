// The bias and activation tails of _FusedMatMul and FusedConv2D. The common case (a per-channel or
// scalar bias and prelu weights, NHWC) runs in one native pass over the output; anything else goes
// through the Add and activation kernels registered for the backend.
import { Activation, type ActivationCode, type NativeAddon } from "../kernels.js";
import { type CpuBackend, float32Values, output, sizeOf } from "./kernel-utils.js";
import { tf } from "./tf.js";

const codes: Record<string, ActivationCode> = Activation;

// A tensor that broadcasts along the last axis only: a scalar, [C] or [1, …, 1, C], no wider than y.
function perChannel(t: tf.TensorInfo, rank: number, channels: number): boolean {
  const s = t.shape;
  if (s.length > rank) return false;
  for (let i = 0; i < s.length - 1; i++) if (s[i] !== 1) return false;
  const last = s.length === 0 ? 1 : s[s.length - 1]!;
  return last === 1 || last === channels;
}

// A per-channel tensor expanded to exactly `channels` values.
function channelValues(values: Float32Array, channels: number): Float32Array {
  return values.length === channels ? values : new Float32Array(channels).fill(values[0]!);
}

function runKernel(
  backend: CpuBackend,
  name: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap = {},
): tf.TensorInfo {
  const kernel = tf.getKernel(name, "native");
  if (kernel === undefined) throw new Error(`The native backend has no ${name} kernel registered.`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
}

const activationKernels: Record<string, string> = {
  relu: tf.Relu,
  relu6: tf.Relu6,
  elu: tf.Elu,
  sigmoid: tf.Sigmoid,
  leakyrelu: tf.LeakyRelu,
  prelu: tf.Prelu,
};

/**
 * y (owned by the caller, shape `shape`) plus bias, through the activation; returns the output tensor.
 * `y` may be overwritten.
 */
export function applyBiasActivation(
  backend: CpuBackend,
  addon: NativeAddon,
  y: Float32Array,
  shape: number[],
  bias: tf.TensorInfo | undefined,
  activation: string | undefined,
  prelu: tf.TensorInfo | undefined,
  leakyreluAlpha: number | undefined,
): tf.TensorInfo {
  const act = activation ?? "linear";
  const rank = shape.length;
  const channels = rank === 0 ? 1 : shape[rank - 1]!;
  const biasValues = float32Values(backend, bias);
  const preluValues = float32Values(backend, prelu);
  const native =
    rank > 0 &&
    act in codes &&
    (bias === undefined || (biasValues !== undefined && perChannel(bias, rank, channels))) &&
    (act !== "prelu" ||
      (prelu !== undefined && preluValues !== undefined && perChannel(prelu, rank, channels)));
  if (native) {
    addon.biasActivation(
      y,
      sizeOf(shape) / Math.max(channels, 1),
      channels,
      biasValues === undefined ? null : channelValues(biasValues, channels),
      codes[act]!,
      leakyreluAlpha ?? 0.2,
      act === "prelu" ? channelValues(preluValues!, channels) : null,
    );
    return output(backend, shape, y);
  }
  // The general case, as tfjs's cpu kernels compose it: Add, then the activation's own kernel.
  let current = output(backend, shape, y);
  if (bias !== undefined) {
    const sum = runKernel(backend, tf.Add, { a: current, b: bias });
    backend.disposeIntermediateTensorInfo(current);
    current = sum;
  }
  if (act !== "linear") {
    const name = activationKernels[act];
    if (name === undefined)
      throw new Error(`Activation ${act} has not been implemented for the CPU backend.`);
    const inputs: tf.NamedTensorInfoMap = act === "prelu" ? { x: current, alpha: prelu! } : { x: current };
    const activated = runKernel(
      backend,
      name,
      inputs,
      act === "leakyrelu" ? { alpha: leakyreluAlpha ?? 0.2 } : {},
    );
    backend.disposeIntermediateTensorInfo(current);
    current = activated;
  }
  return current;
}
