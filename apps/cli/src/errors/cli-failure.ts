/** Exit codes of `loadex`: 0 success, 1 any failure, 2 a usage error. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * A failure the CLI reports as one line on stderr (`loadex: <message>`), never with a stack trace.
 * Commands throw it; `reportFailure` prints it and sets the exit code.
 */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: typeof EXIT_FAILURE | typeof EXIT_USAGE = EXIT_FAILURE,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

/** The command line itself was wrong (bad value, missing option, unknown command): exit code 2. */
export class UsageError extends CliFailure {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}

/** The admin API answered with an error (`{statusCode, message}`): exit code 1 with the API's message. */
export class AdminApiError extends CliFailure {
  constructor(
    readonly statusCode: number,
    apiMessage: string,
  ) {
    super(`${apiMessage} (HTTP ${statusCode})`);
    this.name = 'AdminApiError';
  }
}

/** The balancer could not be reached, or the connection broke: `reason` is e.g. `connection refused`. */
export class ConnectionFailure extends CliFailure {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'ConnectionFailure';
  }
}
