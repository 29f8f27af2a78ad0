// ScmFusedConv2DBias (@scm/backend's fused-conv-bias.ts calls it): conv2d + per-channel bias with the bias added in the
// addon's GEMM output pass, registered for the "native" backend only, with its gradient
// (dx = Conv2DBackpropInput, dW = Conv2DBackpropFilter, db = Σ_{B,H,W} dy) so tf.grad through it works
// as through conv2d + add.
import type { NativeAddon } from "../kernels.js";
import { convForward } from "./conv-kernels.js";
import { attrsOf, type CpuBackend, float32Values, type KernelArgs, output } from "./kernel-utils.js";
import { tf } from "./tf.js";

/** Strides and padding of the kernel (NHWC, dilation 1), as @scm/backend's `fusedConv2dBias` passes them. */
interface ConvBiasAttrs {
  strides: number | [number, number];
  pad: "same" | "valid" | number;
}

function convAttrs(attrs: ConvBiasAttrs) {
  return {
    strides: attrs.strides,
    pad: attrs.pad,
    dataFormat: "NHWC",
    dilations: 1,
    dimRoundingMode: undefined,
  };
}

let gradientRegistered = false;

/** Registers the conv + bias kernel for `backendName` and, once per process, its gradient. */
export function registerConvBiasKernel(addon: NativeAddon, backendName: string, kernelName: string): void {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as CpuBackend;
    const bias = float32Values(backend, args.inputs.bias);
    const conv = { ...args, attrs: convAttrs(attrsOf<ConvBiasAttrs>(args)) as unknown as tf.NamedAttrMap };
    const r = bias === undefined ? undefined : convForward(conv, addon, bias);
    if (r === undefined) {
      const shapes = ["x", "filter", "bias"].map((n) => `[${args.inputs[n]?.shape.join(", ")}]`).join(", ");
      throw new RangeError(`${kernelName} cannot run on inputs of shapes ${shapes}.`);
    }
    return output(backend, r[0], r[1]);
  };
  tf.registerKernel({
    kernelName,
    backendName,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  });
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName,
    inputsToSave: ["x", "filter"],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const g = dy as tf.Tensor4D;
      const a = convAttrs(attrs as unknown as ConvBiasAttrs);
      const run = (name: string, inputs: tf.NamedTensorMap, extra: tf.NamedAttrMap) =>
        tf.engine().runKernel(name, inputs, { ...a, ...extra } as unknown as tf.NamedAttrMap) as tf.Tensor;
      return {
        x: () => run(tf.Conv2DBackpropInput, { dy: g, filter }, { inputShape: x.shape }),
        filter: () => run(tf.Conv2DBackpropFilter, { x, dy: g }, { filterShape: filter.shape }),
        bias: () => tf.sum(g, [0, 1, 2]),
      };
    },
  });
}
