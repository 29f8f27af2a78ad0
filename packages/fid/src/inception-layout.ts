// The layout of the FID InceptionV3 (Szegedy et al. 2016, "Rethinking the Inception Architecture",
// Fig. 5–7 and Table 1) as pytorch-fid ports TensorFlow's 2015-12-05 graph: torchvision's
// `Inception3` modules with the FID-specific blocks FIDInceptionA/C/E_1/E_2 (pytorch-fid
// `inception.py`). Every convolution is a `BasicConv2d`: conv without bias, BatchNorm (eps 0.001),
// ReLU. Names are the PyTorch state_dict keys (`Mixed_5b.branch1x1.conv.weight`, `...bn.running_mean`).

/** One BasicConv2d: a bias-free convolution, BatchNorm and ReLU. */
export interface ConvSpec {
  /** The module path, e.g. `Mixed_6b.branch7x7_2`. */
  readonly name: string;
  readonly inChannels: number;
  readonly outChannels: number;
  /** Kernel [height, width]. */
  readonly kernel: readonly [number, number];
  readonly stride: number;
  /** Zero padding [height, width]; always 0 or (kernel − 1)/2 with stride 1, i.e. tfjs "valid"/"same". */
  readonly padding: readonly [number, number];
}

/** The kinds of mixed blocks, by their pytorch-fid class. */
export type MixedKind =
  | "FIDInceptionA"
  | "InceptionB"
  | "FIDInceptionC"
  | "InceptionD"
  | "FIDInceptionE_1"
  | "FIDInceptionE_2";

/** A mixed block: its kind, module name and channel counts. */
export interface MixedSpec {
  readonly kind: MixedKind;
  readonly name: string;
  readonly inChannels: number;
  readonly outChannels: number;
  /** FIDInceptionA's pool_features or FIDInceptionC's channels_7x7. */
  readonly width?: number;
}

/** BatchNorm's epsilon in every BasicConv2d (torchvision, matching TF's 0.001). */
export const BN_EPS = 0.001;

/** The stem, before the mixed blocks (max-pools after Conv2d_2b_3x3 and Conv2d_4a_3x3). */
export const STEM: readonly ConvSpec[] = [
  conv("Conv2d_1a_3x3", 3, 32, [3, 3], 2),
  conv("Conv2d_2a_3x3", 32, 32, [3, 3]),
  conv("Conv2d_2b_3x3", 32, 64, [3, 3], 1, [1, 1]),
  conv("Conv2d_3b_1x1", 64, 80, [1, 1]),
  conv("Conv2d_4a_3x3", 80, 192, [3, 3]),
];

/** The mixed blocks in order: 35×35 (5b–5d), 17×17 (6a–6e), 8×8 (7a–7c) at 299×299 input. */
export const MIXED: readonly MixedSpec[] = [
  { kind: "FIDInceptionA", name: "Mixed_5b", inChannels: 192, outChannels: 256, width: 32 },
  { kind: "FIDInceptionA", name: "Mixed_5c", inChannels: 256, outChannels: 288, width: 64 },
  { kind: "FIDInceptionA", name: "Mixed_5d", inChannels: 288, outChannels: 288, width: 64 },
  { kind: "InceptionB", name: "Mixed_6a", inChannels: 288, outChannels: 768 },
  { kind: "FIDInceptionC", name: "Mixed_6b", inChannels: 768, outChannels: 768, width: 128 },
  { kind: "FIDInceptionC", name: "Mixed_6c", inChannels: 768, outChannels: 768, width: 160 },
  { kind: "FIDInceptionC", name: "Mixed_6d", inChannels: 768, outChannels: 768, width: 160 },
  { kind: "FIDInceptionC", name: "Mixed_6e", inChannels: 768, outChannels: 768, width: 192 },
  { kind: "InceptionD", name: "Mixed_7a", inChannels: 768, outChannels: 1280 },
  { kind: "FIDInceptionE_1", name: "Mixed_7b", inChannels: 1280, outChannels: 2048 },
  { kind: "FIDInceptionE_2", name: "Mixed_7c", inChannels: 2048, outChannels: 2048 },
];

/** The feature dimension: pool3, the global average of Mixed_7c. */
export const INCEPTION_FEATURES = 2048;

function conv(
  name: string,
  inChannels: number,
  outChannels: number,
  kernel: [number, number],
  stride = 1,
  padding: [number, number] = [0, 0],
): ConvSpec {
  return { name, inChannels, outChannels, kernel, stride, padding };
}

/** The BasicConv2d layers of one mixed block, in the order its branches are concatenated. */
export function mixedConvs(block: MixedSpec): ConvSpec[] {
  const n = (branch: string) => `${block.name}.${branch}`;
  const c = block.inChannels;
  switch (block.kind) {
    case "FIDInceptionA": // torchvision InceptionA: [1×1 64 | 5×5 48→64 | 3×3dbl 64→96→96 | pool→width]
      return [
        conv(n("branch1x1"), c, 64, [1, 1]),
        conv(n("branch5x5_1"), c, 48, [1, 1]),
        conv(n("branch5x5_2"), 48, 64, [5, 5], 1, [2, 2]),
        conv(n("branch3x3dbl_1"), c, 64, [1, 1]),
        conv(n("branch3x3dbl_2"), 64, 96, [3, 3], 1, [1, 1]),
        conv(n("branch3x3dbl_3"), 96, 96, [3, 3], 1, [1, 1]),
        conv(n("branch_pool"), c, block.width!, [1, 1]),
      ];
    case "InceptionB": // [3×3/2 384 | 3×3dbl 64→96→96/2 | max-pool/2]
      return [
        conv(n("branch3x3"), c, 384, [3, 3], 2),
        conv(n("branch3x3dbl_1"), c, 64, [1, 1]),
        conv(n("branch3x3dbl_2"), 64, 96, [3, 3], 1, [1, 1]),
        conv(n("branch3x3dbl_3"), 96, 96, [3, 3], 2),
      ];
    case "FIDInceptionC": {
      // [1×1 192 | 1×7, 7×1 | 7×1, 1×7, 7×1, 1×7 | pool→192], c7 = width
      const c7 = block.width!;
      return [
        conv(n("branch1x1"), c, 192, [1, 1]),
        conv(n("branch7x7_1"), c, c7, [1, 1]),
        conv(n("branch7x7_2"), c7, c7, [1, 7], 1, [0, 3]),
        conv(n("branch7x7_3"), c7, 192, [7, 1], 1, [3, 0]),
        conv(n("branch7x7dbl_1"), c, c7, [1, 1]),
        conv(n("branch7x7dbl_2"), c7, c7, [7, 1], 1, [3, 0]),
        conv(n("branch7x7dbl_3"), c7, c7, [1, 7], 1, [0, 3]),
        conv(n("branch7x7dbl_4"), c7, c7, [7, 1], 1, [3, 0]),
        conv(n("branch7x7dbl_5"), c7, 192, [1, 7], 1, [0, 3]),
        conv(n("branch_pool"), c, 192, [1, 1]),
      ];
    }
    case "InceptionD": // [1×1 192 → 3×3/2 320 | 1×1 192, 1×7, 7×1, 3×3/2 192 | max-pool/2]
      return [
        conv(n("branch3x3_1"), c, 192, [1, 1]),
        conv(n("branch3x3_2"), 192, 320, [3, 3], 2),
        conv(n("branch7x7x3_1"), c, 192, [1, 1]),
        conv(n("branch7x7x3_2"), 192, 192, [1, 7], 1, [0, 3]),
        conv(n("branch7x7x3_3"), 192, 192, [7, 1], 1, [3, 0]),
        conv(n("branch7x7x3_4"), 192, 192, [3, 3], 2),
      ];
    case "FIDInceptionE_1":
    case "FIDInceptionE_2": // [1×1 320 | 1×1 384 → (1×3 | 3×1) | 1×1 448 → 3×3 384 → (1×3 | 3×1) | pool→192]
      return [
        conv(n("branch1x1"), c, 320, [1, 1]),
        conv(n("branch3x3_1"), c, 384, [1, 1]),
        conv(n("branch3x3_2a"), 384, 384, [1, 3], 1, [0, 1]),
        conv(n("branch3x3_2b"), 384, 384, [3, 1], 1, [1, 0]),
        conv(n("branch3x3dbl_1"), c, 448, [1, 1]),
        conv(n("branch3x3dbl_2"), 448, 384, [3, 3], 1, [1, 1]),
        conv(n("branch3x3dbl_3a"), 384, 384, [1, 3], 1, [0, 1]),
        conv(n("branch3x3dbl_3b"), 384, 384, [3, 1], 1, [1, 0]),
        conv(n("branch_pool"), c, 192, [1, 1]),
      ];
  }
}

/** Every BasicConv2d of the network (stem, then each mixed block), in state_dict order. */
export function inceptionConvs(): ConvSpec[] {
  return [...STEM, ...MIXED.flatMap(mixedConvs)];
}

/** The state_dict entries of one BasicConv2d and their PyTorch shapes (conv weight OIHW). */
export function convParameterShapes(spec: ConvSpec): [string, number[]][] {
  const o = spec.outChannels;
  return [
    [`${spec.name}.conv.weight`, [o, spec.inChannels, spec.kernel[0], spec.kernel[1]]],
    [`${spec.name}.bn.weight`, [o]],
    [`${spec.name}.bn.bias`, [o]],
    [`${spec.name}.bn.running_mean`, [o]],
    [`${spec.name}.bn.running_var`, [o]],
  ];
}

/** All state_dict entries the FID Inception needs (no `fc.*`, no `num_batches_tracked`), with shapes. */
export function inceptionParameterShapes(): Map<string, number[]> {
  return new Map(inceptionConvs().flatMap(convParameterShapes));
}
