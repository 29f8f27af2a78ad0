// The entry point of every CLI: a UsageError or any other failure becomes one line on stderr and a
// non-zero exit (2 for usage, 1 otherwise); nothing is printed as a stack trace unless SCM_DEBUG is set.
import { UsageError } from "./errors.js";

/** Runs `main(argv)` and exits with its code; errors print one sentence. */
export function runMain(name: string, main: (argv: string[]) => Promise<number | undefined>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`${name}: ${message}\n`);
      if (process.env["SCM_DEBUG"] && err instanceof Error && err.stack)
        process.stderr.write(`${err.stack}\n`);
      process.exitCode = err instanceof UsageError ? 2 : 1;
    },
  );
}
