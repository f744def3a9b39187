import { ConnectError, ConnectionLostError, type PoolError, QueryError } from '../../errors.js';

interface PgLikeError {
  readonly code?: unknown;
  readonly message?: unknown;
}

const LOST_STATES = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006']);
const LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT']);
const AUTH_STATES = new Set(['28P01', '28000']);

function parts(err: unknown): { code: string | undefined; message: string } {
  const e = (typeof err === 'object' && err !== null ? err : {}) as PgLikeError;
  return {
    code: typeof e.code === 'string' ? e.code : undefined,
    message: typeof e.message === 'string' ? e.message : String(err),
  };
}

/** True when an error means the connection itself is gone (terminated backend, reset socket). */
export function isPostgresConnectionLoss(err: unknown): boolean {
  const { code, message } = parts(err);
  if (code !== undefined && (LOST_STATES.has(code) || LOST_CODES.has(code))) return true;
  return /Connection terminated|not queryable|Client was closed/i.test(message);
}

/** Maps a pg / PGlite error of a running statement to a typed pool error. */
export function mapPostgresQueryError(err: unknown): PoolError {
  const { code, message } = parts(err);
  if (isPostgresConnectionLoss(err)) {
    return new ConnectionLostError(`connection lost during the statement: ${message}`, { cause: err });
  }
  return new QueryError(message, {
    cause: err,
    sqlState: code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined,
  });
}

/** Maps a failed login / connect to `POOL_AUTH` or `POOL_CONNECT`. */
export function mapPostgresConnectError(err: unknown, where: string): ConnectError {
  const { code, message } = parts(err);
  const sqlState = code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  const kind = code !== undefined && AUTH_STATES.has(code) ? 'POOL_AUTH' : 'POOL_CONNECT';
  return new ConnectError(kind, `cannot connect to ${where}: ${message}`, { cause: err, sqlState });
}
