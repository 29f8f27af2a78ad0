// A layer declares and applies its parameters in one definition: built with the `ParamScope` of its
// names, it adds each parameter (name, shape, initialiser) to the network's spec and returns the
// function that applies it to `params`. A network built once this way yields both its spec (what
// initParams draws and a weights file is checked against) and its forward pass, so no parameter name
// is written twice. Declaration order is the spec's order (a weights file's tensor order).
import type { Tensor, tf } from "@scm/backend";
import { ConfigError } from "./errors.js";
import { type ParamEntry, type ParamInit, type ParamSpec, type Params, param } from "./params.js";

/** A declared parameter: reads it from the params the network runs over. */
export type ParamRef = (p: Params) => tf.Variable;

/** A layer's forward pass over `params`: (p, x, ...) → y. */
export type Layer<Inputs extends Tensor[] = [Tensor]> = (p: Params, ...inputs: Inputs) => Tensor;

/** The names a layer declares its parameters under: a dotted prefix (`enc.8x8_block0.conv0.`) into one spec. */
export class ParamScope {
  /** Every parameter declared through this scope, its parents and its children, in declaration order. */
  readonly spec: ParamSpec;
  readonly #prefix: string;

  constructor(spec: ParamSpec = {}, prefix = "") {
    this.spec = spec;
    this.#prefix = prefix;
  }

  /** Declares the parameter `name` under this scope and returns its reader. */
  declare(name: string, entry: ParamEntry): ParamRef {
    const full = this.#prefix + name;
    if (full in this.spec)
      throw new ConfigError(`parameter ${full}`, "declared twice", "one declaration per name");
    this.spec[full] = entry;
    return (p) => param(p, full);
  }

  /** The scope of the sub-layer `name`: its parameters are named `name.…` under this one. */
  child(name: string): ParamScope {
    return new ParamScope(this.spec, `${this.#prefix}${name}.`);
  }
}

/** N(0, 1/fan_in) (LeCun normal), the default weight scale: unit-variance outputs for unit-variance inputs. */
export function fanIn(n: number): ParamInit {
  return { kind: "normal", std: 1 / Math.sqrt(n) };
}

/** Exactly 0 (biases; ADM's zero_module and DiT's adaLN-Zero for weights). */
export const zeros: ParamInit = { kind: "constant", value: 0 };

/** Exactly 1 (a normalisation's scale). */
export const ones: ParamInit = { kind: "constant", value: 1 };

/** A trainable parameter of `shape` starting from `init`. */
export function trainable(shape: readonly number[], init: ParamInit): ParamEntry {
  return { shape, init, trainable: true };
}
