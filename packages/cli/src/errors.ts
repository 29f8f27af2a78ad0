import { ScmError } from "@scm/errors";

/** A mistake in what the user asked for (a flag, a config file, a path): reported as one sentence, exit 2. */
export class UsageError extends ScmError {
  static override readonly tag: string = "UsageError";
}
