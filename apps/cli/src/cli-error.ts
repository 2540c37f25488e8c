/** Exit codes of `recsys`, documented in the README. */
export const ExitCode = {
  OK: 0,
  /** An unexpected failure (a bug, the database went away). */
  FAILURE: 1,
  /** The command line was wrong: unknown option, bad value. */
  USAGE: 2,
  /** The input data was rejected (malformed rows); nothing was written. */
  INVALID_INPUT: 3,
  /** Something named does not exist (dataset, file, model). */
  NOT_FOUND: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI reports as one clear message and an exit code, without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.USAGE,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
