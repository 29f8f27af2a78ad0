// What @scm/backend says about its fused ops when it registers this backend: the tfjs kernel names they
// run under and the views their shapes fuse to. @scm/backend owns both (its fused*.ts, where its
// callers ask whether a shape fuses); this package sits below it, so they come in as an argument, as
// tfjs-core's kernel names reach a backend package from the package above it.

/** The tfjs names of the fused kernels, by op (@scm/backend's `FusedKernel`). */
export interface FusedKernelNames {
  readonly silu: string;
  readonly siluGrad: string;
  readonly standardize: string;
  readonly standardizeGrad: string;
  readonly scaleShift: string;
  readonly scaleShiftGrad: string;
  readonly scaleShiftJvp: string;
  readonly conv2dBias: string;
  readonly dropoutMask: string;
  readonly adamStep: string;
}

/** The fused ops' names and shape views, as @scm/backend defines them. */
export interface FusedOps {
  readonly names: FusedKernelNames;
  /** The [batch, n, groups, k] view of a standardisation's axes, or undefined. */
  readonly standardizeView: (
    shape: readonly number[],
    axis: readonly number[],
  ) => [number, number, number, number] | undefined;
  /** [batch, n, c] of x [B, ..., C] for a modulation vector ([B, C] or [C]), or undefined. */
  readonly scaleShiftView: (
    x: readonly number[],
    v: readonly number[],
  ) => [batch: number, n: number, c: number] | undefined;
}
