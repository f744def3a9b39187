import type { CliErrorCode } from './exit-codes.js';

// The CLI's own errors. Each has a `code` that exit-codes.ts maps to PRODUCT.md's exit code and a
// `hint`, which BaseCommand.catch prints (or puts in the JSON error document) like any package's error.

/** `aishell daemon start` could not start aishelld: it did not run, exited, or did not answer (exit 3). */
export class DaemonControlError extends Error {
  readonly code: CliErrorCode = 'DAEMON_START_FAILED';
  readonly hint: string;

  constructor(message: string, options: { hint: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DaemonControlError';
    this.hint = options.hint;
  }
}
