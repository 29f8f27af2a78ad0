// A backend start that never settles (threaded wasm whose workers cannot start waits forever) must
// still end in a sentence on the page: the start races a deadline that rejects with the typed error.
import { BackendUnavailableError } from "@scm/backend";

/** How long the page waits for a backend to start; software WebGL starts in seconds here. */
export const backendStartSeconds = 60;

/** `start`, or a BackendUnavailableError naming `backend` if it has not settled within `seconds`. */
export function withStartDeadline<T>(
  backend: string,
  start: Promise<T>,
  seconds = backendStartSeconds,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new BackendUnavailableError(
            backend,
            `it did not start within ${seconds} s (pick another backend; wasm hangs like this when its threads cannot start)`,
          ),
        ),
      seconds * 1000,
    );
  });
  return Promise.race([start, deadline]).finally(() => clearTimeout(timer));
}
