/** Every error @aishell/pool throws; `code` is stable and is what callers switch on. */
export type PoolErrorCode =
  | 'POOL_URL'
  | 'POOL_CONNECT'
  | 'POOL_AUTH'
  | 'POOL_QUERY'
  | 'POOL_TIMEOUT'
  | 'POOL_ABORTED'
  | 'POOL_ACQUIRE_TIMEOUT'
  | 'POOL_CLOSED'
  | 'POOL_CONNECTION_LOST';

/** Base class of every error of this package. Messages never contain a password. */
export class PoolError extends Error {
  readonly code: PoolErrorCode;

  constructor(code: PoolErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

/** A connection URL that cannot be understood; `part` names what is wrong (scheme, port, host, ...). */
export class ConnectionUrlError extends PoolError {
  readonly part: string;

  constructor(part: string, message: string, options?: { cause?: unknown }) {
    super('POOL_URL', message, options);
    this.part = part;
  }
}

/** The server could not be reached or refused the login (`POOL_AUTH`). */
export class ConnectError extends PoolError {
  readonly sqlState: string | undefined;
  readonly errno: number | undefined;

  constructor(
    code: 'POOL_CONNECT' | 'POOL_AUTH',
    message: string,
    options?: { cause?: unknown; sqlState?: string | undefined; errno?: number | undefined },
  ) {
    super(code, message, options);
    this.sqlState = options?.sqlState;
    this.errno = options?.errno;
  }
}

/** The server refused the statement; the message is the server's own. */
export class QueryError extends PoolError {
  /** SQLSTATE (PostgreSQL, PGlite, MySQL). */
  readonly sqlState: string | undefined;
  /** MySQL/MariaDB error number. */
  readonly errno: number | undefined;
  /** SQLite result code such as `SQLITE_CONSTRAINT_UNIQUE`. */
  readonly sqliteCode: string | undefined;

  constructor(
    message: string,
    options?: {
      cause?: unknown;
      sqlState?: string | undefined;
      errno?: number | undefined;
      sqliteCode?: string | undefined;
    },
  ) {
    super('POOL_QUERY', message, options);
    this.sqlState = options?.sqlState;
    this.errno = options?.errno;
    this.sqliteCode = options?.sqliteCode;
  }
}

/** The statement ran longer than its timeout and was cancelled on the server. */
export class StatementTimeoutError extends PoolError {
  readonly timeoutMillis: number;

  constructor(timeoutMillis: number, options?: { cause?: unknown }) {
    super('POOL_TIMEOUT', `statement cancelled after ${timeoutMillis} ms`, options);
    this.timeoutMillis = timeoutMillis;
  }
}

/** The caller's AbortSignal fired; a running statement was cancelled on the server. */
export class AbortedError extends PoolError {
  constructor(options?: { cause?: unknown }) {
    super('POOL_ABORTED', 'operation aborted', options);
  }
}

/** No connection became free within `acquireTimeoutMillis`. */
export class AcquireTimeoutError extends PoolError {
  readonly timeoutMillis: number;

  constructor(timeoutMillis: number) {
    super('POOL_ACQUIRE_TIMEOUT', `no connection available within ${timeoutMillis} ms`);
    this.timeoutMillis = timeoutMillis;
  }
}

/** The pool was closed. */
export class PoolClosedError extends PoolError {
  constructor() {
    super('POOL_CLOSED', 'the pool is closed');
  }
}

/** The connection died while a statement was in flight; the statement's outcome is unknown. */
export class ConnectionLostError extends PoolError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('POOL_CONNECTION_LOST', message, options);
  }
}
