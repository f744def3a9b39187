/** Stable error codes of @aishell/demo. */
export type DemoErrorCode = 'DEMO_OPTIONS' | 'DEMO_SEED';

/**
 * Base of the demo's errors: a stable `code`, an optional `hint` for the person, and `cause`. The same
 * shape as @aishell/engine's errors (which these were until the demo became a package of its own), so
 * apps map them to exit codes and words as before.
 */
export class DemoError extends Error {
  readonly code: DemoErrorCode;
  readonly hint: string | undefined;
  constructor(code: DemoErrorCode, message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options?.hint;
  }
}

/** Options for the demo generator that cannot produce a database (code `DEMO_OPTIONS`). */
export class DemoOptionsError extends DemoError {
  /** The option at fault, e.g. `sizes.customers`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super('DEMO_OPTIONS', message);
    this.option = option;
  }
}

/** A statement of the demo schema or data failed (code `DEMO_SEED`); `cause` is the database's error. */
export class DemoSeedError extends DemoError {
  /** 0-based position of the failed statement among all statements `seedDemo` runs. */
  readonly statementIndex: number;
  /** What the statement was doing, e.g. `CREATE TABLE customers` or `INSERT INTO orders`. */
  readonly step: string;
  /** SQLSTATE of the cause when it carries one (PGlite and node-postgres errors do). */
  readonly sqlState: string | undefined;

  constructor(step: string, statementIndex: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'DEMO_SEED',
      `creating the demo database failed at ${step} (statement ${statementIndex + 1}): ${reason}`,
      {
        cause,
        hint: 'run `aishell demo --reset` to build it again',
      },
    );
    this.step = step;
    this.statementIndex = statementIndex;
    const code = (cause as { code?: unknown; sqlState?: unknown } | null)?.code;
    const sqlState = (cause as { sqlState?: unknown } | null)?.sqlState;
    const candidate = typeof sqlState === 'string' ? sqlState : code;
    this.sqlState = typeof candidate === 'string' && /^[0-9A-Z]{5}$/.test(candidate) ? candidate : undefined;
  }
}
