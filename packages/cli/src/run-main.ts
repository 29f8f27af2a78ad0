// The entry point of every CLI: a UsageError or any other failure becomes one line on stderr and a
// non-zero exit (2 for usage, 1 otherwise); nothing is printed as a stack trace unless SCM_DEBUG is set.
import { UsageError } from "./errors.js";

/** A CLI's body: argv (without node and the script) to an exit code (undefined means 0). */
export type CliMain = (argv: string[]) => Promise<number | undefined>;

/** Runs `main(argv)` and resolves to its exit code; a thrown error is one sentence on `stderr` and exit 2 (`UsageError`) or 1. */
export async function runCli(
  name: string,
  main: CliMain,
  argv: readonly string[],
  stderr: (text: string) => void = (text) => process.stderr.write(text),
): Promise<number> {
  try {
    return (await main([...argv])) ?? 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    stderr(`${name}: ${message}\n`);
    if (process.env["SCM_DEBUG"] && err instanceof Error && err.stack) stderr(`${err.stack}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}

/** Runs `main` on this process's arguments and sets its exit code (see `runCli`). */
export function runMain(name: string, main: CliMain): void {
  void runCli(name, main, process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
