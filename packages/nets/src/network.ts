// One entry point over the three networks, keyed by the config's `kind`: what the apps use when a
// config comes from JSON (a run directory's config.json, a safetensors file's metadata).
import type { NetworkFn } from "@scm/trigflow";
import { asObject, oneOf } from "./config.js";
import { type DiTConfig, dit, ditSpec, resolveDiTConfig } from "./dit.js";
import { type MlpConfig, mlp, mlpSpec, resolveMlpConfig } from "./mlp.js";
import type { BuildOptions } from "./network-fn.js";
import { countSpec, initParams, type ParamSpec, type Params } from "./params.js";
import { resolveUNetConfig, type UNetConfig, unet, unetSpec } from "./unet.js";

/** Any network's config; `kind` tells which. */
export type NetworkConfig = UNetConfig | DiTConfig | MlpConfig;

/** Validates any network config (JSON in; `kind` is required), filling its defaults. */
export function resolveNetworkConfig(input: unknown): NetworkConfig {
  const kind = oneOf(asObject(input, "config"), "kind", ["unet", "dit", "mlp"] as const);
  if (kind === "unet") return resolveUNetConfig(input);
  if (kind === "dit") return resolveDiTConfig(input);
  return resolveMlpConfig(input);
}

/** Every parameter of `config`'s network: names, shapes and initialisers, allocating nothing. */
export function paramSpec(config: NetworkConfig): ParamSpec {
  const cfg = resolveNetworkConfig(config);
  if (cfg.kind === "unet") return unetSpec(cfg);
  if (cfg.kind === "dit") return ditSpec(cfg);
  return mlpSpec(cfg);
}

/** Fresh parameters of `config`'s network, deterministic per seed. */
export function initNetwork(config: NetworkConfig, seed: number): Params {
  return initParams(paramSpec(config), seed);
}

/** `config`'s network over `params` as a `NetworkFn` (F and w_φ(t)). */
export function network(config: NetworkConfig, params: Params, options: BuildOptions = {}): NetworkFn {
  const cfg = resolveNetworkConfig(config);
  if (cfg.kind === "unet") return unet(cfg, params, options);
  if (cfg.kind === "dit") return dit(cfg, params, options);
  return mlp(cfg, params, options);
}

/** Trainable scalars of a network: of a config (from its spec, nothing allocated) or of built params. */
export function countParams(of: NetworkConfig | Params): number {
  if (typeof (of as { kind?: unknown }).kind === "string") return countSpec(paramSpec(of as NetworkConfig));
  let n = 0;
  for (const v of Object.values(of as Params)) if (v.trainable) n += v.size;
  return n;
}
