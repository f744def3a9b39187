/** Every error @aishell/advise throws; `code` is stable and is what callers switch on. */
export type AdviseErrorCode =
  /** An option is malformed: `top`, `minCalls`, `minMeanMs`, `minCost`, `minSavings`, the dialect. */
  | 'ADVISE_BAD_OPTION'
  /** Neither statements nor a workload to read them from: `statements` is empty. */
  | 'ADVISE_NO_STATEMENTS'
  /** `top` on an engine whose statement statistics aishell does not read (MySQL/MariaDB, SQLite). */
  | 'ADVISE_TOP_UNSUPPORTED'
  /** `top` on PostgreSQL without pg_stat_statements in this database (the hint says how to add it). */
  | 'ADVISE_NO_STATEMENT_STATS'
  /** The `signal` fired. */
  | 'ADVISE_ABORTED';

/** The one error class of this package. */
export class AdviseError extends Error {
  readonly code: AdviseErrorCode;
  /** What to do about it, in a sentence, when there is something to do. */
  readonly hint: string | undefined;

  constructor(code: AdviseErrorCode, message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AdviseError';
    this.code = code;
    this.hint = options?.hint;
  }
}

/** Throws ADVISE_ABORTED when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new AdviseError('ADVISE_ABORTED', 'advise was cancelled', { cause: signal.reason });
}
