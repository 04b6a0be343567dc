/** An error the CLI reports as one line on stderr with a non-zero exit, without a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
