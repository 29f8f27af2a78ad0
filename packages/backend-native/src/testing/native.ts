// Test helper: registers the "native" backend once per test file (without @scm/backend's fused ops,
// whose kernels @scm/backend's tests cover) and hands back its addon, or the reason it cannot run
// here (the suites then skip and print it).
import type { NativeAddon } from "../kernels.js";
import { loadNativeAddon } from "../load-addon.js";
import { registerNativeBackend } from "../tfjs/register-native.js";

/** The loaded addon, or why the native backend is unavailable on this machine. */
export type NativeForTests =
  | { readonly addon: NativeAddon; readonly unavailable?: undefined }
  | { readonly addon?: undefined; readonly unavailable: string };

/** Registers the native backend (idempotent) and returns its addon, or the reason it is missing. */
export async function nativeForTests(): Promise<NativeForTests> {
  try {
    const addon = loadNativeAddon();
    registerNativeBackend(addon);
    return { addon };
  } catch (err) {
    return { unavailable: err instanceof Error ? err.message : String(err) };
  }
}
