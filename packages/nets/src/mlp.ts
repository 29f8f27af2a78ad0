// An MLP for low-dimensional data (toy 2-D sets, tabular rows) with the same conditioning as the
// image networks (§4.1): residual blocks x + fc1(dropout(silu(fc0(silu(adaLN(x, emb)))))), the
// adaptive LayerNorm under double normalisation.
import { add, silu } from "@scm/jvp";
import type { NetworkFn } from "@scm/trigflow";
import {
  asObject,
  type ConditioningConfig,
  checkKind,
  conditioningDefaults,
  conditioningKeys,
  int,
  rejectUnknownKeys,
  resolveConditioning,
  withDefaults,
} from "./config.js";
import { conditioningSpec } from "./embedding.js";
import { ConfigError } from "./errors.js";
import { applyDropout, layerNormAffine, linear } from "./layers.js";
import { adaptiveLayerNorm, modulationSpec } from "./modulation.js";
import { type BuildOptions, networkFn } from "./network-fn.js";
import { checkParams, initParams, linearSpec, normSpec, type ParamSpec, type Params } from "./params.js";

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

const mlpKeys = ["kind", "dim", "hiddenSize", "depth", ...conditioningKeys];

/** Validates an MLP config (JSON in), filling the conditioning defaults. */
export function resolveMlpConfig(input: unknown): MlpConfig {
  const obj = withDefaults(asObject(input, "config"), { kind: "mlp", ...conditioningDefaults });
  rejectUnknownKeys(obj, mlpKeys);
  checkKind(obj, "mlp");
  const hiddenSize = int(obj, "hiddenSize", 2);
  if (hiddenSize % 2 !== 0) throw new ConfigError("hiddenSize", String(hiddenSize), "an even integer");
  return {
    kind: "mlp",
    dim: int(obj, "dim", 1),
    hiddenSize,
    depth: int(obj, "depth", 1),
    ...resolveConditioning(obj),
  };
}

/** Every parameter of the MLP `config` (names, shapes, initialisers) without allocating any. */
export function mlpSpec(config: MlpConfig): ParamSpec {
  const cfg = resolveMlpConfig(config);
  const h = cfg.hiddenSize;
  const spec: ParamSpec = {};
  conditioningSpec(spec, cfg, h, h);
  linearSpec(spec, "in_proj", cfg.dim, h);
  for (let i = 0; i < cfg.depth; i++) {
    modulationSpec(spec, `blocks.${i}.affine`, h, h);
    linearSpec(spec, `blocks.${i}.fc0`, h, h);
    linearSpec(spec, `blocks.${i}.fc1`, h, h, { zeroInit: true });
  }
  normSpec(spec, "out_norm", h);
  linearSpec(spec, "out_proj", h, cfg.dim, { zeroInit: true });
  return spec;
}

/** Fresh MLP parameters for `config`, deterministic per seed. */
export function initMlp(config: MlpConfig, seed: number): Params {
  return initParams(mlpSpec(config), seed);
}

/** The MLP as a `NetworkFn`: x_t/σ_d [B, D], t [B] → { F [B, D], logvar [B] }. */
export function mlp(config: MlpConfig, params: Params, _options: BuildOptions = {}): NetworkFn {
  const cfg = resolveMlpConfig(config);
  checkParams(mlpSpec(cfg), params);
  return networkFn(cfg, [cfg.dim], cfg.hiddenSize, params, (x, emb, drop) => {
    let h = linear(params, "in_proj", x); // [B, H]
    for (let i = 0; i < cfg.depth; i++) {
      const n = `blocks.${i}`;
      let r = silu(adaptiveLayerNorm(params, `${n}.affine`, h, emb, cfg.modulation)); // §4.1
      r = applyDropout(drop, silu(linear(params, `${n}.fc0`, r)));
      h = add(h, linear(params, `${n}.fc1`, r)); // [B, H]
    }
    return linear(params, "out_proj", silu(layerNormAffine(params, "out_norm", h))); // [B, D]
  });
}
