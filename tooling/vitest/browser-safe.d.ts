/** The non-test `.ts` files directly in `dir`, and those of them importing a Node built-in or a prefix in `forbid` (such as "./node"). */
export function nodeImports(dir: URL, forbid?: readonly string[]): { sources: string[]; offenders: string[] };
