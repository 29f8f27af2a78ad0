// Fused kernels for @scm/jvp's composite primitives (@scm/backend's fused.ts calls them): SiLU and
// standardisation (GroupNorm, LayerNorm), forward and gradient, dropout masks drawn in C and the
// Adam / RAdam update (@scm/backend's fused-adam.ts), each one to three passes in the addon instead of
// the five to twelve tfjs kernels of the composed ops. Registered for the "native" backend only, under
// names no other backend has, with their gradients, so tf.grad through them works as through the
// composed ops.
import type { NativeAddon } from "../kernels.js";
import type { FusedOps } from "./fused-ops.js";
import { attrsOf, type CpuBackend, type KernelArgs, output, outputArray, sizeOf } from "./kernel-utils.js";
import { tf } from "./tf.js";

function values(backend: CpuBackend, t: tf.TensorInfo | undefined, name: string): Float32Array {
  const v = t === undefined ? undefined : backend.data.get(t.dataId)?.values;
  if (t?.dtype !== "float32" || !(v instanceof Float32Array)) {
    throw new TypeError(`The fused kernel's ${name} must be a float32 tensor.`);
  }
  return v;
}

function view(
  fused: FusedOps,
  shape: readonly number[],
  axis: readonly number[],
): [number, number, number, number] {
  const v = fused.standardizeView(shape, axis);
  if (v === undefined)
    throw new RangeError(`Axes [${axis.join(", ")}] of shape [${shape.join(", ")}] do not fuse.`);
  return v;
}

function kernels(
  addon: NativeAddon,
  fused: FusedOps,
): Record<string, (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]> {
  return {
    [fused.names.silu]: (args) => {
      const backend = args.backend as CpuBackend;
      const x = args.inputs.x!;
      const out = outputArray(args.backend, sizeOf(x.shape));
      addon.silu(values(backend, x, "x"), out);
      return output(backend, x.shape, out);
    },
    [fused.names.siluGrad]: (args) => {
      const backend = args.backend as CpuBackend;
      const { x, dy } = args.inputs;
      const out = outputArray(args.backend, sizeOf(x!.shape));
      addon.siluGrad(values(backend, x, "x"), values(backend, dy, "dy"), out);
      return output(backend, x!.shape, out);
    },
    [fused.names.dropoutMask]: (args) => {
      const { state, shape, rate } = attrsOf<{ state: number[]; shape: number[]; rate: number }>(args);
      const out = outputArray(args.backend, sizeOf(shape));
      addon.dropoutMask(Int32Array.from(state), rate, out); // ToInt32 keeps each word's 32 bits
      return output(args.backend as CpuBackend, shape, out);
    },
    [fused.names.adamStep]: (args) => {
      const backend = args.backend as CpuBackend;
      const { p, m, v, g } = args.inputs;
      const { coefficients } = attrsOf<{ coefficients: number[] }>(args);
      const n = sizeOf(p!.shape);
      const [p2, m2, v2] = [outputArray(backend, n), outputArray(backend, n), outputArray(backend, n)];
      const f = (t: tf.TensorInfo | undefined, name: string) => values(backend, t, name);
      addon.adamStep(f(p, "p"), f(m, "m"), f(v, "v"), f(g, "g"), p2, m2, v2, Float32Array.from(coefficients));
      return [output(backend, p!.shape, p2), output(backend, p!.shape, m2), output(backend, p!.shape, v2)];
    },
    [fused.names.standardize]: (args) => {
      const backend = args.backend as CpuBackend;
      const x = args.inputs.x!;
      const { axis, eps } = attrsOf<{ axis: number[]; eps: number }>(args);
      const [b, n, g, k] = view(fused, x.shape, axis);
      const y = outputArray(args.backend, sizeOf(x.shape));
      const rstd = outputArray(args.backend, b * g);
      addon.standardize(values(backend, x, "x"), y, rstd, b, n, g, k, eps);
      return [output(backend, x.shape, y), output(backend, [b, g], rstd)];
    },
    [fused.names.standardizeGrad]: (args) => {
      const backend = args.backend as CpuBackend;
      const { dy, y, rstd } = args.inputs;
      const { axis } = attrsOf<{ axis: number[] }>(args);
      const [b, n, g, k] = view(fused, y!.shape, axis);
      const dx = outputArray(args.backend, sizeOf(y!.shape));
      const v = (t: tf.TensorInfo | undefined, name: string) => values(backend, t, name);
      addon.standardizeGrad(v(dy, "dy"), v(y, "y"), v(rstd, "rstd"), dx, b, n, g, k);
      return output(backend, y!.shape, dx);
    },
  };
}

let gradientsRegistered = false;

/** Registers the fused kernels for `backendName` and, once per process, their gradients. */
export function registerFusedKernels(addon: NativeAddon, backendName: string, fused: FusedOps): void {
  const names = fused.names;
  for (const [kernelName, fn] of Object.entries(kernels(addon, fused))) {
    tf.registerKernel({ kernelName, backendName, kernelFunc: fn as unknown as tf.KernelFunc });
  }
  if (gradientsRegistered) return;
  gradientsRegistered = true;
  tf.registerGradient({
    kernelName: names.silu,
    inputsToSave: ["x"],
    gradFunc: (dy, saved) => ({
      x: () => tf.engine().runKernel(names.siluGrad, { x: saved[0]!, dy: dy as tf.Tensor }) as tf.Tensor,
    }),
  });
  tf.registerGradient({
    kernelName: names.standardize,
    outputsToSave: [true, true],
    gradFunc: (dys, saved, attrs) => {
      const [y, rstd] = saved as [tf.Tensor, tf.Tensor];
      const dy = (Array.isArray(dys) ? dys[0] : dys) ?? tf.zerosLike(y);
      return {
        x: () =>
          tf
            .engine()
            .runKernel(names.standardizeGrad, { dy, y, rstd }, { axis: attrs.axis as number[] }) as tf.Tensor,
      };
    },
  });
}
