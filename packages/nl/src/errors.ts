/** Every code an error of @aishell/nl carries. */
export type NlErrorCode =
  | 'NL_NO_TRANSLATION'
  | 'NL_PROBE'
  | 'NL_ABORTED'
  | 'NL_UNSAFE_OUTPUT'
  | 'NL_PROVIDER_NO_KEY'
  | NlProviderErrorCode;

/** Base class of every error @aishell/nl throws; `code` is stable. */
export class NlError extends Error {
  readonly code: NlErrorCode;

  constructor(code: NlErrorCode, message: string, options?: { cause?: unknown }) {
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

/** The LLM providers @aishell/nl can call. */
export type LlmProviderName = 'openai' | 'anthropic';

/** No API key for an LLM provider. `hint` names the environment variable to set. */
export class NlMissingApiKeyError extends NlError {
  override readonly code = 'NL_PROVIDER_NO_KEY';
  readonly provider: LlmProviderName;
  readonly hint: string;

  constructor(provider: LlmProviderName, envVar: string) {
    super('NL_PROVIDER_NO_KEY', `the ${provider} provider needs an API key`);
    this.name = 'NlMissingApiKeyError';
    this.provider = provider;
    this.hint = `set ${envVar}, or use --provider offline`;
  }
}

/** Stable codes of {@link NlProviderError}. */
export type NlProviderErrorCode =
  | 'NL_PROVIDER_AUTH'
  | 'NL_PROVIDER_UNREACHABLE'
  | 'NL_PROVIDER_TIMEOUT'
  | 'NL_PROVIDER_RATE_LIMITED'
  | 'NL_PROVIDER_REJECTED'
  | 'NL_PROVIDER_FAILED';

/**
 * A call to an LLM provider failed: the key was refused (401/403, NL_PROVIDER_AUTH), the server could
 * not be reached (NL_PROVIDER_UNREACHABLE) or did not answer in time (NL_PROVIDER_TIMEOUT), it kept
 * answering 429 after the retries (NL_PROVIDER_RATE_LIMITED), it rejected the request (another 4xx,
 * such as an unknown model: NL_PROVIDER_REJECTED) or kept failing (5xx: NL_PROVIDER_FAILED). The message
 * never holds the API key nor the server's own error text (which may echo part of the key).
 */
export class NlProviderError extends NlError {
  override readonly code: NlProviderErrorCode;
  readonly provider: LlmProviderName;
  /** HTTP status of the last answer, when there was one. */
  readonly status: number | undefined;
  readonly hint: string | undefined;

  constructor(
    code: NlProviderErrorCode,
    provider: LlmProviderName,
    message: string,
    details: { status?: number; hint?: string; cause?: unknown } = {},
  ) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'NlProviderError';
    this.code = code;
    this.provider = provider;
    this.status = details.status;
    this.hint = details.hint;
  }
}
