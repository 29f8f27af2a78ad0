import { ScmError } from "@scm/errors";

/** A requested backend cannot run here; the message names what is missing. */
export class BackendUnavailableError extends ScmError {
  static override readonly tag: string = "BackendUnavailableError";
  constructor(
    readonly backend: string,
    readonly reason: string,
  ) {
    super(`Backend "${backend}" is unavailable: ${reason}.`, { input: backend, actual: reason });
  }
}
