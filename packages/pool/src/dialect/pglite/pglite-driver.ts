import type { ConnectionConfig } from '../../connection-config.js';
import type { DatabaseConnection } from '../../driver/database-connection.js';
import type { Driver, DriverConnectOptions } from '../../driver/driver.js';
import { ConnectError } from '../../errors.js';
import { INT8_OID, parseInt8 } from '../postgres/int8-values.js';
import { PostgresTypeNames } from '../postgres/postgres-type-names.js';
import { asText, TEMPORAL_OIDS } from '../postgres/temporal-values.js';
import { PgliteConnection } from './pglite-connection.js';

type PGliteInstance = import('@electric-sql/pglite').PGlite;

/** shared_buffers of an embedded database (PostgreSQL's own default is 128MB). */
export const PGLITE_SHARED_BUFFERS = '16MB';

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
    // PostgreSQL's default 128 MB of shared buffers is zeroed by WebAssembly at every start: about
    // 80 ms of a one-shot command's life. One session in one process needs far fewer.
    const options = {
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
      // int8 as on every engine: a number when exact, else its text (PGlite would give a BigInt); date,
      // timestamp and timestamptz as the server's text (PGlite would give Dates, a timestamp read at the
      // client's local time). PGlite parses arrays with their element's parser, so arrays follow; time,
      // timetz and interval are text already.
      parsers: {
        [INT8_OID]: parseInt8,
        ...Object.fromEntries(TEMPORAL_OIDS.map((oid) => [oid, asText])),
      },
    };
    try {
      return path === ':memory:' ? await PGlite.create(options) : await PGlite.create(path, options);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new ConnectError('POOL_CONNECT', `cannot open pglite database ${path}: ${message}`, {
        cause: err,
      });
    }
  }
}
