// Test helper: brings up the "native" backend once per test file and hands back its addon, or the
// reason it cannot run here (the suites then skip and print it).
import type { NativeAddon } from "@scm/backend-native";
import { backendCandidates } from "../backends.js";

/** The loaded addon, or why the native backend is unavailable on this machine. */
export type NativeForTests =
  | { readonly addon: NativeAddon; readonly unavailable?: undefined }
  | { readonly addon?: undefined; readonly unavailable: string };

/** Registers the native backend (idempotent) and returns its addon, or the reason it is missing. */
export async function nativeForTests(): Promise<NativeForTests> {
  try {
    await backendCandidates.find((c) => c.name === "native")!.load();
    const pkg = "@scm/backend-native";
    const mod = (await import(pkg)) as typeof import("@scm/backend-native");
    return { addon: mod.loadNativeAddon() };
  } catch (err) {
    return { unavailable: err instanceof Error ? err.message : String(err) };
  }
}
