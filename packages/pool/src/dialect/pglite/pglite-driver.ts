import type { ConnectionConfig } from '../../connection-config.js';
import type { DatabaseConnection } from '../../driver/database-connection.js';
import type { Driver, DriverConnectOptions } from '../../driver/driver.js';
import { ConnectError } from '../../errors.js';
import { PostgresTypeNames } from '../postgres/postgres-type-names.js';
import { PgliteConnection } from './pglite-connection.js';

type PGliteInstance = import('@electric-sql/pglite').PGlite;

/**
 * One embedded PostgreSQL (PGlite, WebAssembly) per pool, in memory or in a directory. It runs in
 * this thread and cannot be interrupted: statement timeouts and AbortSignals are honoured before a
 * statement and between stream batches.
 */
export class PgliteDriver implements Driver {
  readonly #config: ConnectionConfig;
  readonly #typeNames = new PostgresTypeNames();
  #db: Promise<PGliteInstance> | undefined;

  constructor(config: ConnectionConfig) {
    this.#config = config;
  }

  async connect(_options: DriverConnectOptions): Promise<DatabaseConnection> {
    this.#db ??= this.#open();
    try {
      return new PgliteConnection(await this.#db, this.#typeNames);
    } catch (err) {
      this.#db = undefined;
      throw err;
    }
  }

  async close(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    const instance = await db?.catch(() => undefined);
    if (instance !== undefined && !instance.closed) await instance.close();
  }

  async #open(): Promise<PGliteInstance> {
    const { PGlite } = await import('@electric-sql/pglite');
    const path = this.#config.path ?? ':memory:';
    try {
      return path === ':memory:' ? await PGlite.create() : await PGlite.create(path);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new ConnectError('POOL_CONNECT', `cannot open pglite database ${path}: ${message}`, {
        cause: err,
      });
    }
  }
}
