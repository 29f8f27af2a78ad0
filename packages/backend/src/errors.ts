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

/** A synchronous read (`dataSync`, `arraySync`) of a device tensor on a backend that has none. */
export class SyncReadError extends ScmError {
  static override readonly tag: string = "SyncReadError";
  constructor(readonly backend: string) {
    super(
      `A synchronous read (dataSync/arraySync) is unavailable on backend "${backend}" in Node; read with await tensor.data().`,
      { input: backend, actual: "dataSync" },
    );
  }
}
