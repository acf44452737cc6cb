// What to say about anything thrown: rejections and catches hand over `unknown`, which is usually
// an Error but may be any value.

/** The message of an Error, or the text of any other thrown value. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Anything thrown, as an Error. */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
