// The CLI's one error type: a one-line message and a hint, printed without a stack trace.

export class CliError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
