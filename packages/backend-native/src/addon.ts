// The typed surface of the compiled addon (csrc/addon.c). Every function checks its arguments and
// throws a TypeError or RangeError rather than touch memory out of bounds; outputs are caller-owned
// Float32Arrays that the call overwrites.

/** Codes of `binary` (csrc/kernels.h `BIN_*`). */
export const BinaryOp = { add: 0, sub: 1, mul: 2, div: 3, max: 4, min: 5, squaredDifference: 6 } as const;
/** A `BinaryOp` code. */
export type BinaryOpCode = (typeof BinaryOp)[keyof typeof BinaryOp];

/** Codes of `unary` (csrc/kernels.h `UN_*`); `alpha` is Step's value for x ≤ 0 and LeakyRelu's slope. */
export const UnaryOp = {
  relu: 0,
  relu6: 1,
  step: 2,
  sigmoid: 3,
  exp: 4,
  neg: 5,
  sqrt: 6,
  rsqrt: 7,
  square: 8,
  log: 9,
  abs: 10,
  elu: 11,
  leakyRelu: 12,
  reciprocal: 13,
  tanh: 14,
} as const;
/** A `UnaryOp` code. */
export type UnaryOpCode = (typeof UnaryOp)[keyof typeof UnaryOp];

/** Codes of `reduce` (csrc/kernels.h `RED_*`). */
export const ReduceOp = { sum: 0, max: 1, min: 2 } as const;
/** A `ReduceOp` code. */
export type ReduceOpCode = (typeof ReduceOp)[keyof typeof ReduceOp];

/** Codes of `biasActivation` (csrc/kernels.h `ACT_*`), named as tfjs's fused activations. */
export const Activation = {
  linear: 0,
  relu: 1,
  relu6: 2,
  leakyrelu: 3,
  sigmoid: 4,
  elu: 5,
  prelu: 6,
} as const;
/** An `Activation` code. */
export type ActivationCode = (typeof Activation)[keyof typeof Activation];

/** What the loaded addon runs on. */
export interface NativeInfo {
  /** Threads of the pool that splits every kernel (GEMMs included). */
  readonly threads: number;
  /** CPUs this process may use. */
  readonly cpus: number;
  /** The BLAS: OpenBLAS's build configuration string, or "Accelerate". */
  readonly blas: string;
  /**
   * The kernel of single-threaded GEMMs (every conv and most products): "avx512", the addon's own, on
   * CPUs with AVX-512 (SCM_NATIVE_GEMM=blas turns it off), or "blas".
   */
  readonly gemm: "avx512" | "blas";
}

/**
 * Every function a current addon exports. The loader checks it: an addon compiled from older sources
 * (a stale build/ after a pull) is refused by name rather than failing inside a kernel later.
 */
export const nativeAddonFunctions = [
  "sgemm",
  "matmul",
  "conv2d",
  "conv2dBackpropInput",
  "conv2dBackpropFilter",
  "avgPool",
  "avgPoolGrad",
  "biasActivation",
  "binary",
  "unary",
  "reduce",
  "softmax",
  "silu",
  "siluGrad",
  "dropoutMask",
  "adamStep",
  "standardize",
  "standardizeGrad",
  "scaleShift",
  "scaleShiftGrad",
  "addN",
  "copyBlock",
  "tile",
  "transpose",
  "resizeNearest",
  "resizeNearestGrad",
  "setThreads",
  "info",
] as const satisfies readonly (keyof NativeAddon)[];

/** The addon's functions; shapes are row-major, images NHWC, every array float32 unless named. */
export interface NativeAddon {
  /** c = alpha·op(a)·op(b) + beta·c with a [m, k] (or [k, m] when transA), b [k, n] (or [n, k]). */
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    b: Float32Array,
    beta: number,
    c: Float32Array,
  ): void;
  /** out[i] = op(a[i % batchA]) · op(b[i % batchB]) for i < max(batchA, batchB), out [batch, m, n]. */
  matmul(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    batchA: number,
    batchB: number,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
  ): void;
  /**
   * y [B, OH, OW, O] = conv(x [B, H, W, C], filter [FH, FW, C, O]) (+ bias [O], added to each chunk of
   * output rows as the GEMM leaves it: the conv rounded, then + bias, as a separate Add would).
   */
  conv2d(
    x: Float32Array,
    filter: Float32Array,
    y: Float32Array,
    geometry: Int32Array,
    bias?: Float32Array | null,
  ): void;
  /** dx [B, H, W, C] from dy [B, OH, OW, O] and the filter. */
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  /** dw [FH, FW, C, O] from x and dy. */
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, geometry: Int32Array): void;
  /** Average pooling y [B, OH, OW, C] of x [B, H, W, C] over the geometry's windows (in = out channels). */
  avgPool(x: Float32Array, y: Float32Array, geometry: Int32Array): void;
  /** Its gradient dx [B, H, W, C] from dy, tfjs's way: dy spread with the factor 1/(fh·fw). */
  avgPoolGrad(dy: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  /** In place over y [rows, c]: y = activation(y + bias); bias has c entries, prelu 1 or c. */
  biasActivation(
    y: Float32Array,
    rows: number,
    c: number,
    bias: Float32Array | null,
    activation: ActivationCode,
    alpha: number,
    prelu: Float32Array | null,
  ): void;
  /** out = a ∘ b with NumPy broadcasting of the two shapes (rank ≤ 8). */
  binary(
    op: BinaryOpCode,
    a: Float32Array,
    aShape: Int32Array,
    b: Float32Array,
    bShape: Int32Array,
    out: Float32Array,
  ): void;
  /** out[i] = f(x[i]) over all of x. */
  unary(op: UnaryOpCode, x: Float32Array, out: Float32Array, alpha: number): void;
  /** out [outer, inner] = reduce over the middle axis of x [outer, reduced, inner]; sums times scale. */
  reduce(
    op: ReduceOpCode,
    x: Float32Array,
    out: Float32Array,
    outer: number,
    reduced: number,
    inner: number,
    scale: number,
  ): void;
  /** Softmax of each row of x [rows, cols]. */
  softmax(x: Float32Array, out: Float32Array, rows: number, cols: number): void;
  /** Fused SiLU: out = x·σ(x). */
  silu(x: Float32Array, out: Float32Array): void;
  /** SiLU's gradient: out = dy·(σ(x) + x·σ(x)·(1 − σ(x))). */
  siluGrad(x: Float32Array, dy: Float32Array, out: Float32Array): void;
  /**
   * A dropout mask from an Rng's state (its four words as an Int32Array): out[i] = 0 where the i-th
   * uniform, rounded to float32, is below `rate`, else 1/(1 − rate); @scm/jvp's dropoutMask bit for bit.
   */
  dropoutMask(state: Int32Array, rate: number, out: Float32Array): void;
  /**
   * One Adam / RAdam update in one pass: m' = β₁m + (1 − β₁)g, v' = β₂v + (1 − β₂)g², p' = p − u with
   * u = (m'·step)/(√v'/√bc₂ + ε) (mode 0, Adam), (m'·step)/(√v' + ε) (1, RAdam rectified) or m'·step
   * (2, RAdam un-adapted); `coefficients` is [mode, β₁, 1 − β₁, β₂, 1 − β₂, step, √bc₂, ε] in float32.
   * Each operation rounded as tfjs's composed kernels round it (no FMA): their result bit for bit.
   */
  adamStep(
    p: Float32Array,
    m: Float32Array,
    v: Float32Array,
    g: Float32Array,
    pOut: Float32Array,
    mOut: Float32Array,
    vOut: Float32Array,
    coefficients: Float32Array,
  ): void;
  /**
   * Standardisation over the n and k axes of x [batch, n, groups, k]: y = (x − μ)·r and
   * rstd [batch, groups] = r = 1/√(σ² + eps), statistics per batch entry and group.
   */
  standardize(
    x: Float32Array,
    y: Float32Array,
    rstd: Float32Array,
    batch: number,
    n: number,
    groups: number,
    k: number,
    eps: number,
  ): void;
  /** Its gradient: dx = r·(dy − mean(dy) − y·mean(dy⊙y)) over the same axes, from y and rstd. */
  standardizeGrad(
    dy: Float32Array,
    y: Float32Array,
    rstd: Float32Array,
    dx: Float32Array,
    batch: number,
    n: number,
    groups: number,
    k: number,
  ): void;
  /**
   * Modulation over x viewed as [batch, n, c] (paper §4.1's norm(x)⊙s + b): out = x⊙scale
   * (+ x2⊙scale2) (+ shift), each product rounded before the sums (as tfjs's Mul then Add). scale,
   * shift and scale2 hold batch·c values (one row per batch entry) or c (shared); shift, x2 and scale2
   * may be null (x2 and scale2 together: the JVP ẋ⊙s + x⊙ṡ + ḃ).
   */
  scaleShift(
    x: Float32Array,
    scale: Float32Array,
    shift: Float32Array | null,
    out: Float32Array,
    batch: number,
    n: number,
    c: number,
    x2: Float32Array | null,
    scale2: Float32Array | null,
  ): void;
  /** Its gradient: dx = dy⊙scale, dscale [batch, c] = Σ_n dy⊙x, dshift [batch, c] = Σ_n dy (float64 sums). */
  scaleShiftGrad(
    dy: Float32Array,
    x: Float32Array,
    scale: Float32Array,
    dx: Float32Array,
    dscale: Float32Array,
    dshift: Float32Array,
    batch: number,
    n: number,
    c: number,
  ): void;
  /** out = Σ inputs (at most 64, each at least out.length long). */
  addN(inputs: Float32Array[], out: Float32Array): void;
  /** Copies the block `size` at srcBegin of src (shape srcShape) to dstBegin of dst (shape dstShape). */
  copyBlock(
    src: Float32Array,
    srcShape: Int32Array,
    srcBegin: Int32Array,
    dst: Float32Array,
    dstShape: Int32Array,
    dstBegin: Int32Array,
    size: Int32Array,
  ): void;
  /** out = x repeated reps[d] times along each dimension d (tf.tile). */
  tile(x: Float32Array, shape: Int32Array, reps: Int32Array, out: Float32Array): void;
  /** out = x with its dimensions permuted: out's dimension k is x's dimension perm[k]. */
  transpose(x: Float32Array, shape: Int32Array, perm: Int32Array, out: Float32Array): void;
  /** Nearest-neighbour resize of x [batch, inH, inW, c] into y [batch, outH, outW, c], tfjs's index rule. */
  resizeNearest(
    x: Float32Array,
    y: Float32Array,
    batch: number,
    inHeight: number,
    inWidth: number,
    channels: number,
    outHeight: number,
    outWidth: number,
    alignCorners: boolean,
    halfPixelCenters: boolean,
  ): void;
  /** The gradient of `resizeNearest` (without half-pixel centres, as tfjs's): dy [batch, outH, outW, c] → dx. */
  resizeNearestGrad(
    dy: Float32Array,
    dx: Float32Array,
    batch: number,
    inHeight: number,
    inWidth: number,
    channels: number,
    outHeight: number,
    outWidth: number,
    alignCorners: boolean,
  ): void;
  /** Sets the pool's thread count (1–64); the default is the CPUs this process may use. */
  setThreads(threads: number): void;
  /** The pool's threads, the CPU count and the BLAS. */
  info(): NativeInfo;
}
