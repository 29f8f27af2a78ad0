import { ScmError } from "@scm/errors";

/** A run directory or checkpoint that cannot be used; the message names the file and what is wrong. */
export class RunError extends ScmError {
  static override readonly tag: string = "RunError";
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message, { input: path });
  }
}
