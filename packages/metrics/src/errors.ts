/**
 * Every error the metrics package throws. Apps map codes to exit codes; the library only throws.
 */

/** Stable error codes. */
export type MetricsErrorCode =
  /** An option or argument is out of range: a capacity, a bound, a duration, a timestamp. */
  'METRICS_INVALID_ARGUMENT';

/** The one error class of @aishell/metrics; `code` says which failure it is. */
export class MetricsError extends Error {
  readonly code: MetricsErrorCode;

  constructor(code: MetricsErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MetricsError';
    this.code = code;
  }
}

/** Throws METRICS_INVALID_ARGUMENT unless `value` is a positive safe integer; returns it. */
export function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new MetricsError('METRICS_INVALID_ARGUMENT', `${name} must be a positive integer, not ${value}.`);
  }
  return value;
}
