// The name of a regression fixture `pnpm fuzz` keeps, <target>-<kind>-<hash>.bin, written by the fuzz
// CLI and read back by each package's fuzz-regressions test: one place for the convention.
import type { FuzzTarget } from "./target.js";

/** The fixture file name of a failure of `target` (`hash`: 8 hex digits of its signature). */
export function fixtureName(target: string, kind: string, hash: string): string {
  return `${target}-${kind}-${hash}.bin`;
}

/** The target a fixture file belongs to, or undefined when its name matches none of `targets`. */
export function fixtureTarget<T extends FuzzTarget>(file: string, targets: readonly T[]): T | undefined {
  const name = file.replace(/-(crash|hang|memory)-[0-9a-f]{8}\.bin$/, "");
  return name === file ? undefined : targets.find((t) => t.name === name);
}
