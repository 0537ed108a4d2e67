import { CommanderError } from 'commander';
import { CliFailure, EXIT_FAILURE, EXIT_USAGE } from './cli-failure';

/** Commander's own exits that are not errors: `--help`, `--version`. */
const COMMANDER_SUCCESS_CODES = new Set(['commander.helpDisplayed', 'commander.version']);

/** Writes one line to stderr, prefixed like every message of the CLI. */
export function printFailureLine(message: string): void {
  process.stderr.write(`loadex: ${message}\n`);
}

/**
 * The one place a failed command ends up (nest-commander's `serviceErrorHandler`, and the bootstrap's
 * catch): one line on stderr, the exit code set, no stack trace. Commander's usage errors were
 * already printed by commander itself (through the output configuration), so they only set the code.
 */
export function reportFailure(err: unknown): void {
  if (err instanceof CommanderError) {
    process.exitCode = COMMANDER_SUCCESS_CODES.has(err.code) || err.exitCode === 0 ? 0 : EXIT_USAGE;
    return;
  }
  if (err instanceof CliFailure) {
    printFailureLine(err.message);
    process.exitCode = err.exitCode;
    return;
  }
  printFailureLine(err instanceof Error ? err.message : String(err));
  process.exitCode = EXIT_FAILURE;
}
