import type { ConnectionConfig } from '../../connection-config.js';
import type { DatabaseConnection } from '../../driver/database-connection.js';
import type { Driver, DriverConnectOptions } from '../../driver/driver.js';
import { ConnectError } from '../../errors.js';
import { SqliteConnection } from './sqlite-connection.js';

type SqliteDatabase = import('better-sqlite3').Database;

/** Default time a statement waits for a lock held by another process (SQLite busy timeout). */
export const DEFAULT_SQLITE_BUSY_TIMEOUT_MILLIS = 5000;

/**
 * One better-sqlite3 handle per pool. better-sqlite3 is synchronous and cannot be interrupted, so
 * statement timeouts and AbortSignals are honoured before a statement and between stream batches
 * only; `?busy_timeout=` (milliseconds) bounds waiting for locks.
 */
export class SqliteDriver implements Driver {
  readonly #config: ConnectionConfig;
  #db: Promise<SqliteDatabase> | undefined;

  constructor(config: ConnectionConfig) {
    this.#config = config;
  }

  async connect(_options: DriverConnectOptions): Promise<DatabaseConnection> {
    this.#db ??= this.#open();
    try {
      return new SqliteConnection(await this.#db);
    } catch (err) {
      this.#db = undefined;
      throw err;
    }
  }

  async close(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    if (db !== undefined) (await db.catch(() => undefined))?.close();
  }

  async #open(): Promise<SqliteDatabase> {
    const { default: Database } = await import('better-sqlite3');
    const path = this.#config.path ?? ':memory:';
    const params = this.#config.params;
    const busy = Number(params.busy_timeout ?? DEFAULT_SQLITE_BUSY_TIMEOUT_MILLIS);
    try {
      return new Database(path, {
        readonly: params.mode === 'ro',
        fileMustExist: params.mode === 'ro' || params.mode === 'rw',
        timeout: Number.isFinite(busy) ? busy : DEFAULT_SQLITE_BUSY_TIMEOUT_MILLIS,
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new ConnectError('POOL_CONNECT', `cannot open sqlite database ${path}: ${message}`, {
        cause: err,
      });
    }
  }
}
