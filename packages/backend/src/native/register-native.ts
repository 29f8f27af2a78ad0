// The "native" tfjs backend is @scm/backend-native's (its kernel adapters live beside the C they call);
// this module hands it the fused ops' names and shape views, which @scm/backend owns (fused*.ts). Only
// backends.ts imports it, after @scm/backend-native has loaded, so browser bundles never reach it.
import type { NativeAddon } from "@scm/backend-native/kernels";
import { nativeBackendName, registerNativeBackend as register } from "@scm/backend-native/tfjs";
import { FusedKernel, standardizeView } from "../fused.js";
import { scaleShiftView } from "../fused-scale-shift.js";

export { nativeBackendName };

/** Registers the "native" backend once per process, with @scm/backend's fused kernels. */
export function registerNativeBackend(addon: NativeAddon): void {
  register(addon, { names: FusedKernel, standardizeView, scaleShiftView });
}
