/** The first ```ts block of the README at `readmeUrl`, its imports (named or default) rewritten to read from `modules`. */
export function readmeExample(readmeUrl: URL): string;
/** Runs the README's example with `modules` for its imports; resolves to what it logged, call by call. */
export function runReadmeExample(readmeUrl: URL, modules: Record<string, unknown>): Promise<unknown[][]>;
