/** Every error @aishell/health throws; `code` is stable and is what callers switch on. */
export type HealthErrorCode =
  /** `only` names a check the dialect does not have. */
  | 'HEALTH_UNKNOWN_CHECK'
  /** `thresholds` names a threshold no check of the dialect has. */
  | 'HEALTH_UNKNOWN_THRESHOLD'
  /** A threshold that is not a finite number in its range (a ratio between 0 and 1, others >= 0). */
  | 'HEALTH_BAD_THRESHOLD'
  /** Another option is malformed: the dialect, `maxObjects`, an empty `only`. */
  | 'HEALTH_BAD_OPTION'
  /** `run` failed in a way that is not the database refusing one check (connection lost, pool closed). */
  | 'HEALTH_QUERY_FAILED'
  /** The `signal` fired. */
  | 'HEALTH_ABORTED';

/** The one error class of this package. */
export class HealthError extends Error {
  readonly code: HealthErrorCode;
  /** The check whose query failed (`HEALTH_QUERY_FAILED`), if any. */
  readonly check: string | undefined;

  constructor(code: HealthErrorCode, message: string, options?: { cause?: unknown; check?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HealthError';
    this.code = code;
    this.check = options?.check;
  }
}
