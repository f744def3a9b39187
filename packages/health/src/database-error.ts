// Tells "the database refused this check's query" (skip the check) from "the database could not be
// reached" (fail the run). The error may come straight from a driver (pg's DatabaseError, mysql2's
// error, better-sqlite3's SqliteError) or wrapped by the engine's pool (QueryError with sqlState,
// errno, sqliteCode), possibly as the `cause` of another error. A statement the pool cancelled on its
// timeout (an error with `timeoutMillis`, as @aishell/pool's StatementTimeoutError) counts as refused:
// that check is skipped, the others still report.

/** A refusal by the database, in the fields health looks at. */
export interface DatabaseErrorInfo {
  /** SQLSTATE (PostgreSQL, MySQL), SQLite's result code such as `SQLITE_CORRUPT`, or `TIMEOUT`. */
  readonly code: string | undefined;
  /** MySQL/MariaDB error number. */
  readonly errno: number | undefined;
  readonly message: string;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

interface ErrorFields {
  sqlState?: unknown;
  code?: unknown;
  errno?: unknown;
  sqliteCode?: unknown;
  fatal?: unknown;
  timeoutMillis?: unknown;
  message?: unknown;
  sqlMessage?: unknown;
  cause?: unknown;
}

function fieldsOf(error: unknown): ErrorFields | undefined {
  return typeof error === 'object' && error !== null ? (error as ErrorFields) : undefined;
}

/**
 * The database's refusal inside `error` (looking through `cause`), or undefined when the error is
 * not one: a connection that failed or was lost, a closed pool, a bug.
 */
export function databaseErrorOf(error: unknown): DatabaseErrorInfo | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined; depth++) {
    const e = fieldsOf(current);
    if (!e) return undefined;
    // mysql2 marks errors after which the connection is gone as fatal.
    if (e.fatal === true) return undefined;
    const message = typeof e.message === 'string' ? e.message : String(current);
    if (typeof e.timeoutMillis === 'number') return { code: 'TIMEOUT', errno: undefined, message };
    const sqlite =
      typeof e.sqliteCode === 'string'
        ? e.sqliteCode
        : typeof e.code === 'string' && e.code.startsWith('SQLITE_')
          ? e.code
          : undefined;
    if (sqlite) return { code: sqlite, errno: undefined, message };
    const state =
      typeof e.sqlState === 'string' && SQLSTATE.test(e.sqlState)
        ? e.sqlState
        : typeof e.code === 'string' && SQLSTATE.test(e.code)
          ? e.code
          : undefined;
    const errno = typeof e.errno === 'number' && e.errno > 0 ? e.errno : undefined;
    if (state !== undefined) {
      // Class 08 is a connection exception, 28 a refused login, 3D000 a database that does not exist,
      // 57P0x the server shutting down or starting, 53300 too many connections: none is about the check.
      if (/^(08|28)/.test(state) || /^57P0[1-3]$/.test(state) || state === '3D000' || state === '53300')
        return undefined;
      return { code: state, errno, message };
    }
    current = e.cause;
  }
  return undefined;
}

const PG_PRIVILEGE = new Set(['42501']);
const MYSQL_PRIVILEGE = new Set([1044, 1142, 1143, 1227, 1370]);

/** Whether the refusal is a missing privilege (the usual reason a catalog query is refused). */
export function isPrivilegeError(error: DatabaseErrorInfo): boolean {
  return (
    (error.code !== undefined && PG_PRIVILEGE.has(error.code)) ||
    (error.errno !== undefined && MYSQL_PRIVILEGE.has(error.errno))
  );
}
