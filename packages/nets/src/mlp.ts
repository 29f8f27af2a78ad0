// An MLP for low-dimensional data (toy 2-D sets, tabular rows) with the same conditioning as the
// image networks (§4.1): residual blocks x + fc1(dropout(silu(fc0(silu(adaLN(x, emb)))))), the
// adaptive LayerNorm under double normalisation.
import { add, silu } from "@scm/jvp";
import { architecture } from "./architecture.js";
import { type ConditioningConfig, configObject, evenInt, int, resolveConditioning } from "./config.js";
import { conditioning } from "./embedding.js";
import type { ParamScope } from "./layer.js";
import { applyDropout, layerNormAffine, linear } from "./layers.js";
import { adaptiveLayerNorm } from "./modulation.js";
import type { BuildOptions, NetworkDefinition } from "./network-fn.js";

/** An MLP's config: samples are vectors of `dim` numbers. */
export interface MlpConfig extends ConditioningConfig {
  readonly kind: "mlp";
  /** Data dimension D (x is [B, D]). */
  readonly dim: number;
  /** Hidden width H; also the time-feature and embedding width. Even. */
  readonly hiddenSize: number;
  /** Residual blocks. */
  readonly depth: number;
}

const mlpKeys = ["dim", "hiddenSize", "depth"];

/** Validates an MLP config (JSON in), filling the conditioning defaults. */
export function resolveMlpConfig(input: unknown): MlpConfig {
  const obj = configObject(input, "mlp", mlpKeys, {});
  const hiddenSize = evenInt(obj, "hiddenSize", 2);
  return {
    kind: "mlp",
    dim: int(obj, "dim", 1),
    hiddenSize,
    depth: int(obj, "depth", 1),
    ...resolveConditioning(obj),
  };
}

/** The MLP's layers declared in `scope` (conditioning, in_proj, blocks, out_norm, out_proj). */
function defineMlp(cfg: MlpConfig, scope: ParamScope, _options: BuildOptions): NetworkDefinition {
  const h = cfg.hiddenSize;
  const cond = conditioning(scope, cfg, h, h);
  const inProj = linear(scope.child("in_proj"), cfg.dim, h);
  const blocks = Array.from({ length: cfg.depth }, (_, i) => {
    const b = scope.child(`blocks.${i}`);
    return {
      affine: adaptiveLayerNorm(b.child("affine"), h, h, cfg.modulation),
      fc0: linear(b.child("fc0"), h, h),
      fc1: linear(b.child("fc1"), h, h, { zeroInit: true }),
    };
  });
  const outNorm = layerNormAffine(scope.child("out_norm"), h);
  const outProj = linear(scope.child("out_proj"), h, cfg.dim, { zeroInit: true });
  return {
    sample: [cfg.dim],
    conditioning: cond,
    body: (p, x, emb, drop) => {
      let y = inProj(p, x); // [B, H]
      for (const block of blocks) {
        let r = silu(block.affine(p, y, emb)); // §4.1
        r = applyDropout(drop, silu(block.fc0(p, r)));
        y = add(y, block.fc1(p, r)); // [B, H]
      }
      return outProj(p, silu(outNorm(p, y))); // [B, D]
    },
  };
}

/** The MLP architecture (`kind: "mlp"`). */
export const mlpArchitecture = architecture({ kind: "mlp", resolve: resolveMlpConfig, define: defineMlp });

/** Fresh MLP parameters for `config`, deterministic per seed. */
export const initMlp = mlpArchitecture.init;

/** The MLP as a `NetworkFn`: x_t/σ_d [B, D], t [B] → { F [B, D], logvar [B] }. */
export const mlp = mlpArchitecture.network;
