// Loads build/Release/scm_native.node, which the install script compiles where a C compiler and a
// CBLAS exist. Node-only (createRequire); @scm/backend imports this package by a computed name so
// browser bundles never see it.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { type NativeAddon, nativeAddonFunctions } from "./addon.js";

/** The addon is not built or does not load here; the message says how to get it. */
export class NativeAddonUnavailableError extends Error {
  override readonly name = "NativeAddonUnavailableError";
}

/** The command that (re)builds the addon once a compiler and OpenBLAS are installed. */
export const buildCommand = "pnpm --filter @scm/backend-native build:native";

// From src/ (tests) and dist/ (built) alike, the addon sits in ../build/Release.
const addonUrl = new URL("../build/Release/scm_native.node", import.meta.url);

let cached: NativeAddon | undefined;

/** The addon's path, whether or not it is built. */
export function nativeAddonPath(): string {
  return fileURLToPath(addonUrl);
}

/** True when the compiled addon file exists (it may still fail to load, e.g. a missing libopenblas). */
export function isNativeAddonBuilt(): boolean {
  return existsSync(addonUrl);
}

/** Loads the addon once per process; throws `NativeAddonUnavailableError` naming what is missing. */
export function loadNativeAddon(): NativeAddon {
  if (cached !== undefined) return cached;
  const path = nativeAddonPath();
  if (!isNativeAddonBuilt()) {
    throw new NativeAddonUnavailableError(
      `The native addon is not built (no ${path}); install a C compiler and OpenBLAS, then run ${buildCommand}.`,
    );
  }
  let addon: Record<string, unknown>;
  try {
    addon = createRequire(import.meta.url)(path) as Record<string, unknown>;
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split("\n")[0];
    throw new NativeAddonUnavailableError(`The native addon at ${path} did not load (${first}).`);
  }
  const missing = nativeAddonFunctions.filter((name) => typeof addon[name] !== "function");
  if (missing.length > 0) {
    throw new NativeAddonUnavailableError(
      `The native addon at ${path} is out of date (it lacks ${missing.join(", ")}); rebuild it: ${buildCommand}.`,
    );
  }
  cached = addon as unknown as NativeAddon;
  return cached;
}
