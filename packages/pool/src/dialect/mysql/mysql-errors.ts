import { ConnectError, ConnectionLostError, type PoolError, QueryError } from '../../errors.js';

interface MysqlLikeError {
  readonly code?: unknown;
  readonly errno?: unknown;
  readonly sqlState?: unknown;
  readonly message?: unknown;
  readonly fatal?: unknown;
}

// ER_ACCESS_DENIED_ERROR, ER_DBACCESS_DENIED_ERROR, ER_ACCESS_DENIED_NO_PASSWORD_ERROR,
// ER_NOT_SUPPORTED_AUTH_MODE
const AUTH_ERRNOS = new Set([1045, 1044, 1698, 1251]);
// ER_CONNECTION_KILLED (MariaDB), ER_SERVER_SHUTDOWN, CR_SERVER_GONE_ERROR, CR_SERVER_LOST
const LOST_ERRNOS = new Set([1927, 1053, 2006, 2013]);
const LOST_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT']);

function parts(err: unknown) {
  const e = (typeof err === 'object' && err !== null ? err : {}) as MysqlLikeError;
  return {
    code: typeof e.code === 'string' ? e.code : undefined,
    errno: typeof e.errno === 'number' && e.errno > 0 ? e.errno : undefined,
    sqlState: typeof e.sqlState === 'string' && e.sqlState !== '' ? e.sqlState : undefined,
    message: typeof e.message === 'string' ? e.message : String(err),
    fatal: e.fatal === true,
  };
}

/** True when the error means the connection is gone. */
export function isMysqlConnectionLoss(err: unknown): boolean {
  const p = parts(err);
  return (
    p.fatal ||
    (p.errno !== undefined && LOST_ERRNOS.has(p.errno)) ||
    (p.code !== undefined && LOST_CODES.has(p.code)) ||
    /closed state|Connection lost/i.test(p.message)
  );
}

/** Maps a mysql2 error of a running statement. */
export function mapMysqlQueryError(err: unknown): PoolError {
  const p = parts(err);
  if (isMysqlConnectionLoss(err)) {
    return new ConnectionLostError(`connection lost during the statement: ${p.message}`, { cause: err });
  }
  return new QueryError(p.message, { cause: err, errno: p.errno, sqlState: p.sqlState });
}

/** Maps a failed connect / login. */
export function mapMysqlConnectError(err: unknown, where: string): ConnectError {
  const p = parts(err);
  const kind = p.errno !== undefined && AUTH_ERRNOS.has(p.errno) ? 'POOL_AUTH' : 'POOL_CONNECT';
  return new ConnectError(kind, `cannot connect to ${where}: ${p.message}`, {
    cause: err,
    errno: p.errno,
    sqlState: p.sqlState,
  });
}
