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
// ∂L/∂W as a forward conv of the input with ∂L/∂y, the same sums in another order. On webgpu both
// gradients are GEMMs and the matmuls over rows sum their weight gradients in chunks (tfjs-backend-
// webgpu's conv-gradient kernels loop over the batch per thread; its split-K matmul adds atomically).
// Under `jvp` it is this package's conv2d, whose tangent rule is one more conv.
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

/**
 * Rows of the reduction each batch entry of the chunked weight gradients sums. Below 2000, so a
 * single chunk never takes tfjs-backend-webgpu's split-K matmul, whose atomic adds sum in a
 * different order on every run (its choice for a batch-1 matmul with K ≥ 2000 and a small output).
 */
const splitRows = 1024;

/** Pᵀ·G summed over B·H·W-long rows in `splitRows` chunks: P [n, a], G [n, b] → [a, b], deterministic. */
function chunkedTransposeMatMul(p: Tensor, g: Tensor): Tensor {
  return tf.tidy(() => {
    const n = p.shape[0]!;
    const chunks = Math.ceil(n / splitRows);
    const rows = Math.ceil(n / chunks);
    const extra = chunks * rows - n; // zero rows, which add nothing
    const asChunks = (t: Tensor) =>
      tf.reshape(
        tf.pad(t, [
          [0, extra],
          [0, 0],
        ]),
        [chunks, rows, t.shape[1]!],
      );
    return tf.sum(tf.matMul(asChunks(p), asChunks(g), true, false), 0);
  });
}

/**
 * ∂L/∂W as `convFilterGrad`, written for GPUs: ∂L/∂W = Pᵀ·∂L/∂y, with P [B·H·W, k·k·Cin] the input's
 * k·k shifted copies side by side (im2col) and ∂L/∂y as [B·H·W, Cout]. The B·H·W-long reduction is
 * split into chunks of `splitRows` rows, one batch entry of one batched matmul each, then summed:
 * enough workgroups to fill a GPU, and no atomics, so the sums are deterministic. tfjs-backend-webgpu
 * 4.22's own Conv2DBackpropFilter gives each thread one filter entry and loops over all of B·H·W: its
 * time grows with the batch (about 20 ms per image on an H200, docs/webgpu-probe/README.md).
 */
export function convFilterGradGemm(x: Tensor, dy: Tensor, filterShape: readonly number[]): Tensor {
  return tf.tidy(() => {
    const [k, , cin, cout] = filterShape as [number, number, number, number];
    const [b, h, w] = x.shape as [number, number, number, number];
    const r = (k - 1) / 2;
    const padded = tf.pad(x, [
      [0, 0],
      [r, r],
      [r, r],
      [0, 0],
    ]);
    const taps: Tensor[] = [];
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) taps.push(tf.slice(padded, [0, i, j, 0], [b, h, w, cin]));
    const patches = tf.reshape(tf.concat(taps, 3), [b * h * w, k * k * cin]); // tap-major columns
    const dw = chunkedTransposeMatMul(patches, tf.reshape(dy, [b * h * w, cout])); // [k·k·Cin, Cout]
    return tf.reshape(dw, [k, k, cin, cout]);
  });
}

/**
 * ∂L/∂x of y = conv2d(x, W, 1, "same") as a forward conv of ∂L/∂y with W flipped in space and its
 * channel axes swapped (odd k, stride 1): tfjs-backend-webgpu's forward conv is a tiled GEMM, its
 * Conv2DBackpropInput a per-element loop.
 */
export function convInputGradConv(dy: Tensor, w: Tensor): Tensor {
  return tf.tidy(() => {
    const flipped = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D; // [k, k, Cout, Cin]
    return tf.conv2d(dy as tf.Tensor4D, flipped, 1, "same");
  });
}

const convWithGemmGrads = tf.customGrad(((x: Tensor, w: Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same"),
    gradFunc: (dy: Tensor, [xs, ws]: Tensor[]) => [
      convInputGradConv(dy, ws!),
      convFilterGradGemm(xs!, dy, ws!.shape),
    ],
  };
}) as Parameters<typeof tf.customGrad>[0]);

const rowsMatMulChunked = tf.customGrad(((x: Tensor, w: Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: Tensor, [xs, ws]: Tensor[]) => [
      tf.matMul(dy, ws!, false, true),
      chunkedTransposeMatMul(xs!, dy),
    ],
  };
}) as Parameters<typeof tf.customGrad>[0]);

/**
 * y = x·W over rows, x [N, in] (pixels or tokens), W [in, out]: this package's matMul, except on webgpu
 * outside `jvp`, where ∂L/∂W = xᵀ·∂L/∂y is summed in chunks (`splitRows`) so that it is deterministic
 * (tfjs-backend-webgpu's split-K matmul adds atomically) and spreads over the GPU.
 */
export function rowsMatMul(x: Tensor, w: Tensor): Tensor {
  return convPath() === "gemmGrad" ? rowsMatMulChunked(x, w) : matMul(x, w);
}

/** Backends whose filter gradient is slow (cpu) or missing (wasm): the custom gradient serves them. */
const slowFilterGrad = new Set(["cpu", "wasm"]);
/** GPU backends whose conv gradients do not scale with the batch: the GEMM gradients serve them. */
const loopConvGrads = new Set(["webgpu"]);

/**
 * Which path `convSame` takes now: "jvp" (@scm/jvp's conv2d, tfjs's gradients), "customGrad" (plain
 * tfjs, fast ∂L/∂W on CPU backends) or "gemmGrad" (plain tfjs, both gradients as GEMMs, webgpu).
 */
export function convPath(): "jvp" | "customGrad" | "gemmGrad" {
  if (isTracing()) return "jvp";
  const backend = tf.getBackend();
  return slowFilterGrad.has(backend) ? "customGrad" : loopConvGrads.has(backend) ? "gemmGrad" : "jvp";
}

/** y = conv2d(x, W, 1, "same"): x [B, H, W, Cin], W [k, k, Cin, Cout] (k odd) → [B, H, W, Cout]. */
export function convSame(x: Tensor, w: Tensor): Tensor {
  const path = convPath();
  return path === "jvp"
    ? conv2d(x, w, 1, "same")
    : path === "customGrad"
      ? convWithFastFilterGrad(x, w)
      : convWithGemmGrads(x, w);
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
      ? reshape(rowsMatMul(reshape(x, [-1, cin]), reshape(w, [cin, cout])), [...x.shape.slice(0, -1), cout])
      : convSame(x, w); // [B, H, W, Cout]
  return b === undefined ? y : add(y, b);
}
