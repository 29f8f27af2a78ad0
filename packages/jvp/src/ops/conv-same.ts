// The stride-1, "same" convolution networks are made of, plus its bias: this op picks the kernel per
// backend, so a network never asks which backend is active.
//   - A backend that adds the bias inside its conv (native) runs conv2dBias, any k: it saves the Add
//     pass over the output.
//   - Elsewhere a 1×1 conv is a matMul over pixels, and a k×k one `convSame`, then + bias.
// `convSame` is the one place this package computes on activations with plain tfjs. The forward pass
// is tfjs's conv2d either way. The reason is reverse mode on the CPU backends: tfjs-backend-cpu's
// Conv2DBackpropFilter is ~70× slower than its forward conv (97 s of a 100 s MNIST U-Net backward
// pass at batch 2), and tfjs-backend-wasm has no such kernel. So outside `jvp`, on those backends, the
// conv carries a custom gradient: ∂L/∂x = conv2dTranspose(∂L/∂y, W) (tfjs's own input gradient) and
// ∂L/∂W as a forward conv of the input with ∂L/∂y, the same sums in another order. Under `jvp` it is
// this package's conv2d, whose tangent rule is one more conv.
import { FusedKernel, fusedKernelAvailable, type Tensor, tf } from "@scm/backend";
import { isTracing } from "../trace.js";
import { add } from "./arithmetic.js";
import { conv2dBias } from "./conv-bias.js";
import { conv2d, matMul } from "./linalg.js";
import { reshape } from "./shape.js";

/**
 * ∂L/∂W of y = conv2d(x, W, 1, "same") from ∂L/∂y [B, H, W, Cout], [k, k, Cin, Cout]:
 * ∂L/∂W[i, j, c, o] = Σ_{b,h,w} x̃[b, h + i, w + j, c]·∂L/∂y[b, h, w, o] (x̃ zero-padded), which is
 * itself a "valid" conv of x̃ with batch and channels swapped, filtered by ∂L/∂y (TensorFlow's own
 * formulation of the filter gradient) on tfjs's fast forward kernel.
 */
export function convFilterGrad(x: Tensor, dy: Tensor, filterShape: readonly number[]): Tensor {
  return tf.tidy(() => {
    const r = (filterShape[0]! - 1) / 2;
    const padded = tf.pad(x, [
      [0, 0],
      [r, r],
      [r, r],
      [0, 0],
    ]);
    const images = tf.transpose(padded, [3, 1, 2, 0]) as tf.Tensor4D; // [Cin, H + 2r, W + 2r, B]
    const filter = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [H, W, B, Cout]
    const dw = tf.conv2d(images, filter, 1, "valid"); // [Cin, k, k, Cout]
    return tf.transpose(dw, [1, 2, 0, 3]); // [k, k, Cin, Cout]
  });
}

const convWithFastFilterGrad = tf.customGrad(((x: Tensor, w: Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same"),
    gradFunc: (dy: Tensor, [xs, ws]: Tensor[]) => [
      tf.conv2dTranspose(
        dy as tf.Tensor4D,
        ws as tf.Tensor4D,
        xs!.shape as [number, number, number, number],
        1,
        "same",
      ),
      convFilterGrad(xs!, dy, ws!.shape),
    ],
  };
}) as Parameters<typeof tf.customGrad>[0]);

/** Backends whose filter gradient is slow (cpu) or missing (wasm): the custom gradient serves them. */
const slowFilterGrad = new Set(["cpu", "wasm"]);

/** Which path `convSame` takes now: "jvp" (@scm/jvp's conv2d) or "customGrad" (plain tfjs, fast ∂L/∂W). */
export function convPath(): "jvp" | "customGrad" {
  return isTracing() || !slowFilterGrad.has(tf.getBackend()) ? "jvp" : "customGrad";
}

/** y = conv2d(x, W, 1, "same"): x [B, H, W, Cin], W [k, k, Cin, Cout] (k odd) → [B, H, W, Cout]. */
export function convSame(x: Tensor, w: Tensor): Tensor {
  return convPath() === "jvp" ? conv2d(x, w, 1, "same") : convWithFastFilterGrad(x, w);
}

/**
 * y = conv2d(x, W, 1, "same") + b: x [B, H, W, Cin], W [k, k, Cin, Cout] (k odd), b [Cout] or absent
 * → [B, H, W, Cout]. One fused kernel where the backend has it (native, with a bias); else a 1×1 conv
 * as a matMul over pixels, a k×k one `convSame`, then + b.
 */
export function convSameBias(x: Tensor, w: Tensor, b: Tensor | undefined): Tensor {
  if (b !== undefined && fusedKernelAvailable(FusedKernel.conv2dBias)) return conv2dBias(x, w, b, 1, "same");
  const [k, , cin, cout] = w.shape as [number, number, number, number];
  const y =
    k === 1
      ? reshape(matMul(reshape(x, [-1, cin]), reshape(w, [cin, cout])), [...x.shape.slice(0, -1), cout])
      : convSame(x, w); // [B, H, W, Cout]
  return b === undefined ? y : add(y, b);
}
