// What the page says when something fails: the project's typed errors already read as one sentence
// naming the file or backend and what is wrong; anything else is prefixed so it still reads as one.
import { BackendUnavailableError } from "@scm/backend";
import { DataError } from "@scm/data";
import { FormatError } from "@scm/io";
import { RunError } from "@scm/runs";

const typed = [RunError, BackendUnavailableError, FormatError, DataError];

/** The error as one line for the page. */
export function errorSentence(err: unknown): string {
  const message = (err instanceof Error ? err.message : String(err)).split("\n")[0]!.trim();
  const sentence = typed.some((T) => err instanceof T) ? message : `Something went wrong: ${message}`;
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
