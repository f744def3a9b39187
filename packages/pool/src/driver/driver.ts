import type { DatabaseConnection } from './database-connection.js';

export interface DriverConnectOptions {
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMillis: number;
}

/**
 * Opens connections to one database. The engine's library is loaded with `import()` on the first
 * `connect()`, so that only the engine in use is ever loaded.
 */
export interface Driver {
  /** Opens one connection; rejects with `ConnectError` (`POOL_CONNECT` / `POOL_AUTH`). */
  connect(options: DriverConnectOptions): Promise<DatabaseConnection>;
  /**
   * A connection that the engine itself keeps read-only (SQLite: the file opened with `readonly`), for
   * read-only transactions; undefined where there is none (an in-memory database), and the dialect's
   * read-only transaction statements are the only wall. Opened on first use, closed by `close()`.
   */
  readOnlyConnection?(options: DriverConnectOptions): Promise<DatabaseConnection | undefined>;
  /** Frees what the driver shares between connections (the SQLite handle, the PGlite instance). */
  close(): Promise<void>;
}
