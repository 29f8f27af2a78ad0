// The fused modulation kernels (@scm/backend's fused-scale-shift.ts calls them): y = x⊙s + b over x [B, ..., C] with s, b
// [B, C] or [C] (paper §4.1's AdaGN and the norms' affine), its gradient and its JVP, each one pass of
// the addon instead of tfjs's Mul and Add (and Mul, Mul, Sum, Sum for the gradient). Registered for the
// "native" backend only, with the forward kernel's gradient, so tf.grad through it works as through
// the composed ops.
import type { NativeAddon } from "../kernels.js";
import type { FusedOps } from "./fused-ops.js";
import {
  type CpuBackend,
  float32Values,
  type KernelArgs,
  output,
  outputArray,
  sizeOf,
} from "./kernel-utils.js";
import { tf } from "./tf.js";

function values(backend: CpuBackend, t: tf.TensorInfo | undefined, name: string): Float32Array {
  const v = float32Values(backend, t);
  if (v === undefined) throw new TypeError(`The fused kernel's ${name} must be a float32 tensor.`);
  return v;
}

function view(fused: FusedOps, x: readonly number[], v: readonly number[]): [number, number, number] {
  const r = fused.scaleShiftView(x, v);
  if (r === undefined) {
    throw new RangeError(
      `A modulation of shape [${v.join(", ")}] does not fit x of shape [${x.join(", ")}].`,
    );
  }
  return r;
}

function kernels(
  addon: NativeAddon,
  fused: FusedOps,
): Record<string, (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]> {
  return {
    [fused.names.scaleShift]: (args) => {
      const backend = args.backend as CpuBackend;
      const { x, scale, shift } = args.inputs;
      const [b, n, c] = view(fused, x!.shape, scale!.shape);
      view(fused, x!.shape, shift!.shape);
      const y = outputArray(args.backend, sizeOf(x!.shape));
      const v = (t: tf.TensorInfo | undefined, name: string) => values(backend, t, name);
      addon.scaleShift(v(x, "x"), v(scale, "scale"), v(shift, "shift"), y, b, n, c, null, null);
      return output(backend, x!.shape, y);
    },
    // Outputs dx (x's shape), dscale and dshift [B, C] (summed over the batch by the gradient when the
    // vector is shared).
    [fused.names.scaleShiftGrad]: (args) => {
      const backend = args.backend as CpuBackend;
      const { dy, x, scale } = args.inputs;
      const [b, n, c] = view(fused, x!.shape, scale!.shape);
      const dx = outputArray(args.backend, sizeOf(x!.shape));
      const ds = outputArray(args.backend, b * c);
      const db = outputArray(args.backend, b * c);
      const v = (t: tf.TensorInfo | undefined, name: string) => values(backend, t, name);
      addon.scaleShiftGrad(v(dy, "dy"), v(x, "x"), v(scale, "scale"), dx, ds, db, b, n, c);
      return [output(backend, x!.shape, dx), output(backend, [b, c], ds), output(backend, [b, c], db)];
    },
    // ẏ = ẋ⊙s + x⊙ṡ + ḃ; any of the tangents dx, dscale, dshift may be absent (zero), not both dx and dscale.
    [fused.names.scaleShiftJvp]: (args) => {
      const backend = args.backend as CpuBackend;
      const { x, scale, dx, dscale, dshift } = args.inputs;
      const [b, n, c] = view(fused, x!.shape, scale!.shape);
      const v = (t: tf.TensorInfo | undefined, name: string) => values(backend, t, name);
      if (dshift !== undefined) view(fused, x!.shape, dshift.shape);
      const db = dshift === undefined ? null : v(dshift, "dshift");
      const out = outputArray(args.backend, sizeOf(x!.shape));
      if (dscale === undefined) {
        addon.scaleShift(v(dx, "dx"), v(scale, "scale"), db, out, b, n, c, null, null);
      } else {
        view(fused, x!.shape, dscale.shape);
        const [a, s, a2, s2] =
          dx === undefined ? [x, dscale, null, null] : [dx, scale, v(x, "x"), v(dscale, "dscale")];
        addon.scaleShift(v(a, "dx"), v(s, "dscale"), db, out, b, n, c, a2, s2);
      }
      return output(backend, x!.shape, out);
    },
  };
}

let gradientRegistered = false;

/** Registers the modulation kernels for `backendName` and, once per process, the forward's gradient. */
export function registerScaleShiftKernels(addon: NativeAddon, backendName: string, fused: FusedOps): void {
  for (const [kernelName, fn] of Object.entries(kernels(addon, fused))) {
    tf.registerKernel({ kernelName, backendName, kernelFunc: fn as unknown as tf.KernelFunc });
  }
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: fused.names.scaleShift,
    inputsToSave: ["x", "scale", "shift"],
    gradFunc: (dy, saved) => {
      const [x, scale, shift] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      // One kernel gives all three; run here, not in the thunks, which tfjs calls each in its own tidy.
      const [dx, ds, db] = tf
        .engine()
        .runKernel(fused.names.scaleShiftGrad, { dy: dy as tf.Tensor, x, scale }) as tf.Tensor[];
      const like = (g: tf.Tensor, v: tf.Tensor) => (v.rank === 1 ? tf.sum(g, 0) : g); // shared [C]: Σ_B
      return { x: () => dx!, scale: () => like(ds!, scale), shift: () => like(db!, shift) };
    },
  });
}
