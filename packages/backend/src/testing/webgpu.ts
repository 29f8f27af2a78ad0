// Test helper: brings up tfjs's webgpu backend beside the active one (cpu in tests) so a test can run
// the same program on both. It finds a Vulkan driver itself: VK_ICD_FILENAMES as set, else
// SCM_LAVAPIPE_DIR/lvp_icd.json, else ~/.cache/scm/lavapipe/lvp_icd.json (where
// tooling/scripts/setup-lavapipe.sh unpacks Mesa 25's lavapipe). Without an adapter a suite skips with
// the reason, except under CI, where a missing adapter is a failure.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { backendCandidates } from "../backends.js";
import { type Tensor, tf } from "../tf.js";
import type { HostTensor } from "./compare-backends.js";

/** Where tooling/scripts/setup-lavapipe.sh writes lavapipe's ICD file (SCM_LAVAPIPE_DIR overrides). */
export function lavapipeIcdPath(): string {
  const dir = process.env["SCM_LAVAPIPE_DIR"] || join(homedir(), ".cache", "scm", "lavapipe");
  return join(dir, "lvp_icd.json");
}

/** The webgpu backend registered and started (`adapter` names it), or why not (`skip`). */
export type WebgpuForTests =
  | { readonly adapter: string; readonly skip?: undefined }
  | { readonly skip: string };

let started: Promise<WebgpuForTests> | undefined;

async function start(): Promise<WebgpuForTests> {
  if (!process.env["VK_ICD_FILENAMES"] && existsSync(lavapipeIcdPath())) {
    process.env["VK_ICD_FILENAMES"] = lavapipeIcdPath(); // read by the Vulkan loader when Dawn starts
  }
  const candidate = backendCandidates.find((c) => c.name === "webgpu")!;
  const active = tf.getBackend();
  try {
    const name = await candidate.load({ byName: true });
    if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend("${name}") failed`);
    await tf.ready();
    return { adapter: candidate.adapter?.() ?? "unnamed adapter" };
  } catch (err) {
    const reason = `${(err as Error).message} (run tooling/scripts/setup-lavapipe.sh for a software adapter)`;
    if (process.env["CI"] === "true")
      throw new Error(`CI is true, and CI must not skip the webgpu suite: ${reason}`);
    return { skip: reason };
  } finally {
    await tf.setBackend(active);
  }
}

/** Starts webgpu once per test file; the active backend stays what it was. Under CI, throws instead of skipping. */
export function webgpuForTests(): Promise<WebgpuForTests> {
  started ??= start();
  return started;
}

/** Runs `program` with `name` as the active backend (its inputs made inside it), awaits it, reads its outputs. */
export async function runOnAsync(
  name: string,
  program: () => Tensor | Tensor[] | Promise<Tensor | Tensor[]>,
): Promise<HostTensor[]> {
  const previous = tf.getBackend();
  await tf.setBackend(name);
  try {
    const out = await program();
    const list = Array.isArray(out) ? out : [out];
    const values = await Promise.all(list.map((t) => t.data()));
    const read = list.map((t, i) => ({ shape: t.shape, values: Float32Array.from(values[i]!) }));
    tf.dispose(list);
    return read;
  } finally {
    await tf.setBackend(previous);
  }
}
