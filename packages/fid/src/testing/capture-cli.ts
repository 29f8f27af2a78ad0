// Runs one of @scm/fid's commands in-process with its output captured, for tests of what it prints.
import type { CliStreams } from "../node/cli.js";

/** What a command printed and its exit code. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Calls `main(argv, streams)` with captured stdout and stderr. */
export async function captureCli(
  main: (argv: readonly string[], streams: Partial<CliStreams>) => Promise<number>,
  argv: readonly string[],
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: {
      write: (t: string) => {
        stderr += t;
        return true;
      },
    },
  });
  return { code, stdout, stderr };
}
