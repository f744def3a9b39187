/** Every error @aishell/lint throws; `code` is stable and is what callers switch on. */
export type LintErrorCode =
  /** `rules` names a rule the dialect does not have (the message lists the valid ones). */
  | 'LINT_UNKNOWN_RULE'
  /** Another option is malformed: the dialect, `pgVersion`, a file without a path or text. */
  | 'LINT_BAD_OPTION'
  /** The `signal` fired. */
  | 'LINT_ABORTED';

/** The one error class of this package. */
export class LintError extends Error {
  readonly code: LintErrorCode;
  /** For `LINT_UNKNOWN_RULE`: the names that were not known. */
  readonly unknown: readonly string[];
  /** For `LINT_UNKNOWN_RULE`: every rule name of the dialect. */
  readonly valid: readonly string[];

  constructor(
    code: LintErrorCode,
    message: string,
    options?: { cause?: unknown; unknown?: readonly string[]; valid?: readonly string[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LintError';
    this.code = code;
    this.unknown = options?.unknown ?? [];
    this.valid = options?.valid ?? [];
  }
}
