/** A mistake in what the user asked for (a flag, a config file, a path): reported as one sentence, exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
