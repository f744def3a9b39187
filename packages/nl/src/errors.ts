/** Base class of every error @aishell/nl throws; `code` is stable. */
export class NlError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NlError';
    this.code = code;
  }
}

/**
 * The question could not be turned into a SELECT with enough confidence, or it asks to change data.
 * `suggestions` holds wordings that would work; `hint` says what to do instead.
 */
export class NlNoTranslationError extends NlError {
  override readonly code = 'NL_NO_TRANSLATION';
  readonly suggestions: readonly string[];
  readonly hint: string;
  /** Words of the question that were not understood. */
  readonly unknownWords: readonly string[];
  /** Confidence of the best attempt (0 when nothing was attempted). */
  readonly confidence: number;

  constructor(
    message: string,
    details: {
      suggestions: readonly string[];
      hint: string;
      unknownWords?: readonly string[];
      confidence?: number;
    },
  ) {
    super('NL_NO_TRANSLATION', message);
    this.name = 'NlNoTranslationError';
    this.suggestions = details.suggestions;
    this.hint = details.hint;
    this.unknownWords = details.unknownWords ?? [];
    this.confidence = details.confidence ?? 0;
  }
}

/** A probe query run while building the value index failed. */
export class NlProbeError extends NlError {
  override readonly code = 'NL_PROBE';
  readonly table: string;
  readonly column: string;

  constructor(table: string, column: string, cause: unknown) {
    super('NL_PROBE', `reading the distinct values of ${table}.${column} failed`, { cause });
    this.name = 'NlProbeError';
    this.table = table;
    this.column = column;
  }
}

/** The operation was aborted through its AbortSignal. */
export class NlAbortedError extends NlError {
  override readonly code = 'NL_ABORTED';

  constructor(cause?: unknown) {
    super('NL_ABORTED', 'the operation was aborted', { cause });
    this.name = 'NlAbortedError';
  }
}

/**
 * The SQL the translator wrote did not pass @aishell/sql's analysis as one read-only SELECT.
 * A bug guard: it should never happen, and nothing is run when it does.
 */
export class NlUnsafeOutputError extends NlError {
  override readonly code = 'NL_UNSAFE_OUTPUT';
  readonly sql: string;
  readonly reasons: readonly string[];

  constructor(sql: string, reasons: readonly string[], cause?: unknown) {
    super('NL_UNSAFE_OUTPUT', `the translated SQL is not a single read-only SELECT: ${reasons.join('; ')}`, {
      cause,
    });
    this.name = 'NlUnsafeOutputError';
    this.sql = sql;
    this.reasons = reasons;
  }
}
