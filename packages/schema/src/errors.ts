/** Every error @aishell/schema throws; `code` is stable and is what callers switch on. */
export type SchemaErrorCode =
  /** A statement of a schema script failed while loading it (`statement` names it). */
  | 'SCHEMA_LOAD'
  /** The server, the dialect or the pair of models is one this package cannot work with. */
  | 'SCHEMA_UNSUPPORTED'
  /** An option is malformed: an unknown dialect, a rename naming nothing, a bad timeout. */
  | 'SCHEMA_BAD_OPTION'
  /** A catalog query failed while reading a schema (`run` could not reach the database, or it refused). */
  | 'SCHEMA_INTROSPECTION'
  /** The `signal` fired. */
  | 'SCHEMA_ABORTED';

/** The statement of a script that failed, as `SCHEMA_LOAD` reports it. */
export interface SchemaScriptStatement {
  /** 0-based index of the statement in the script (as `splitStatements` counts them). */
  readonly index: number;
  /** 1-based line of the script where the statement starts. */
  readonly line: number;
  /** 1-based column of that line. */
  readonly column: number;
  /** The statement's text, without its `;`. */
  readonly text: string;
}

/** The one error class of this package. */
export class SchemaError extends Error {
  readonly code: SchemaErrorCode;
  /** The failed statement (`SCHEMA_LOAD`). */
  readonly statement: SchemaScriptStatement | undefined;
  /** SQLSTATE (PostgreSQL, MySQL) or SQLite's result code of the database's refusal, when there was one. */
  readonly sqlState: string | undefined;
  /** What the person can do about it, when the caller knows (the engine adds one for a dialect it guessed). */
  hint: string | undefined;

  constructor(
    code: SchemaErrorCode,
    message: string,
    options?: { cause?: unknown; statement?: SchemaScriptStatement; sqlState?: string; hint?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SchemaError';
    this.code = code;
    this.statement = options?.statement;
    this.sqlState = options?.sqlState;
    this.hint = options?.hint;
  }
}

/** The SQLSTATE (or SQLite code) inside an error from a driver or the engine's pool, looking through `cause`. */
export function sqlStateOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const e = current as { sqlState?: unknown; code?: unknown; cause?: unknown };
    if (typeof e.sqlState === 'string') return e.sqlState;
    if (typeof e.code === 'string' && /^([0-9A-Z]{5}|SQLITE_\w+|ER_\w+)$/.test(e.code)) return e.code;
    current = e.cause;
  }
  return undefined;
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Throws `SCHEMA_ABORTED` when `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SchemaError('SCHEMA_ABORTED', 'aborted', { cause: signal.reason });
}
