// The check behind "runs in a browser" for a package's main entry: no source module directly in the
// folder (tests aside) imports a Node built-in, or any other specifier prefix it is given.
import { readdirSync, readFileSync } from "node:fs";

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** The non-test `.ts` files directly in `dir`, and those of them importing a Node built-in or a prefix in `forbid` (such as "./node"). */
export function nodeImports(dir, forbid = []) {
  const sources = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  // "node:<anything>", or a bare module name (or a forbidden prefix) alone or followed by a subpath
  const names = ["fs", "path", "os", "crypto", ...forbid.map(escape)].join("|");
  const pattern = new RegExp(`from\\s+"(node:|(${names})[/"])`);
  const offenders = sources.filter((f) => pattern.test(readFileSync(new URL(f, dir), "utf8")));
  return { sources, offenders };
}
