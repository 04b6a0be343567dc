/** An error the CLI reports as one line on stderr with a non-zero exit, without a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/**
 * A command line the CLI cannot make sense of (an unknown option, a missing argument, a value
 * out of range): exit code 2, as usage errors are by convention. `seeHelp` adds a pointer to
 * the command's --help; a message that already says what to type instead leaves it out.
 */
export class UsageError extends CliError {
  constructor(
    message: string,
    readonly seeHelp = true,
  ) {
    super(message, 2);
  }
}
