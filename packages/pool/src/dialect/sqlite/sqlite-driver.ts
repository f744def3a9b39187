import type { ConnectionConfig } from '../../connection-config.js';
import type { DatabaseConnection } from '../../driver/database-connection.js';
import type { Driver, DriverConnectOptions } from '../../driver/driver.js';
import { ConnectError } from '../../errors.js';
import { SqliteConnection } from './sqlite-connection.js';

type SqliteDatabase = import('better-sqlite3').Database;
type SqliteConstructor = typeof import('better-sqlite3');

/** Default time a statement waits for a lock held by another process (SQLite busy timeout). */
export const DEFAULT_SQLITE_BUSY_TIMEOUT_MILLIS = 5000;

const MEMORY = ':memory:';

/**
 * better-sqlite3 handles for one database. A file gets a handle per connection (the pool holds one at a
 * time), so that a connection that must be reset can simply be closed and the file opened again; an
 * in-memory database lives in its one handle, which is shared and closed with the driver.
 * better-sqlite3 is synchronous and cannot be interrupted, so statement timeouts and AbortSignals are
 * honoured before a statement and between stream batches only; `?busy_timeout=` (milliseconds) bounds
 * waiting for locks.
 */
export class SqliteDriver implements Driver {
  readonly #config: ConnectionConfig;
  readonly #path: string;
  #module: Promise<SqliteConstructor> | undefined;
  #memory: Promise<SqliteDatabase> | undefined;
  #readOnly: Promise<SqliteConnection> | undefined;

  constructor(config: ConnectionConfig) {
    this.#config = config;
    this.#path = config.path ?? MEMORY;
  }

  async connect(_options: DriverConnectOptions): Promise<DatabaseConnection> {
    if (this.#path !== MEMORY) return new SqliteConnection(await this.#open(this.#mode()), { owned: true });
    this.#memory ??= this.#open(this.#mode());
    try {
      return new SqliteConnection(await this.#memory, { owned: false, memory: true });
    } catch (err) {
      this.#memory = undefined;
      throw err;
    }
  }

  /** The file opened read-only (`readonly: true`), which no statement can make writable; none in memory. */
  async readOnlyConnection(_options: DriverConnectOptions): Promise<DatabaseConnection | undefined> {
    if (this.#path === MEMORY) return undefined;
    this.#readOnly ??= this.#open({ readonly: true, fileMustExist: true }).then(
      (db) => new SqliteConnection(db, { owned: false }),
    );
    try {
      return await this.#readOnly;
    } catch (err) {
      this.#readOnly = undefined;
      throw err;
    }
  }

  async close(): Promise<void> {
    const memory = this.#memory;
    const readOnly = this.#readOnly;
    this.#memory = undefined;
    this.#readOnly = undefined;
    if (memory !== undefined) (await memory.catch(() => undefined))?.close();
    if (readOnly !== undefined) (await readOnly.catch(() => undefined))?.closeHandle();
  }

  /** `?mode=ro` opens read-only, `rw` requires the file to exist, `rwc` (the default) creates it. */
  #mode(): { readonly: boolean; fileMustExist: boolean } {
    const mode = this.#config.params.mode;
    return { readonly: mode === 'ro', fileMustExist: mode === 'ro' || mode === 'rw' };
  }

  async #open(mode: { readonly: boolean; fileMustExist: boolean }): Promise<SqliteDatabase> {
    this.#module ??= import('better-sqlite3').then((m) => m.default as SqliteConstructor);
    const Database = await this.#module;
    const busy = Number(this.#config.params.busy_timeout ?? DEFAULT_SQLITE_BUSY_TIMEOUT_MILLIS);
    try {
      return new Database(this.#path, {
        ...mode,
        timeout: Number.isFinite(busy) ? busy : DEFAULT_SQLITE_BUSY_TIMEOUT_MILLIS,
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new ConnectError('POOL_CONNECT', `cannot open sqlite database ${this.#path}: ${message}`, {
        cause: err,
      });
    }
  }
}
