/** A run directory or checkpoint that cannot be used; the message names the file and what is wrong. */
export class RunError extends Error {
  override readonly name = "RunError";
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}
