/** Every error @aishell/plan throws; `code` is stable and is what callers switch on. */
export type PlanErrorCode = 'PLAN_PARSE' | 'PLAN_UNSUPPORTED';

/** Base class of every error of this package. */
export class PlanError extends Error {
  readonly code: PlanErrorCode;

  constructor(code: PlanErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * The input is not a plan aishell can read. `line` is 1-based in the text given (for a JSON value, in
 * that value printed with two-space indents, as PostgreSQL prints it).
 */
export class PlanParseError extends PlanError {
  readonly line: number;
  /** What a plan would have had there. */
  readonly expected: string;
  /** The start of the offending line (at most 80 characters). */
  readonly found: string;

  constructor(line: number, expected: string, found: string, options?: { cause?: unknown }) {
    const shown = found.trim().slice(0, 80);
    super('PLAN_PARSE', `line ${line}: expected ${expected}${shown ? `, found "${shown}"` : ''}`, options);
    this.line = line;
    this.expected = expected;
    this.found = shown;
  }
}

/** A plan in a form aishell recognises but does not read (PostgreSQL's FORMAT XML or YAML). */
export class PlanUnsupportedError extends PlanError {
  /** The form recognised: `xml` or `yaml`. */
  readonly form: string;

  constructor(form: string) {
    super(
      'PLAN_UNSUPPORTED',
      `EXPLAIN (FORMAT ${form.toUpperCase()}) is not read: use FORMAT JSON or the default text format`,
    );
    this.form = form;
  }
}
