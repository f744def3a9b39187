import type { ConnectionConfig } from '../../connection-config.js';
import type { Driver } from '../../driver/driver.js';
import type { Dialect } from '../dialect.js';
import { SqliteDriver } from './sqlite-driver.js';
import { introspectSqlite } from './sqlite-introspector.js';

/** SQLite through better-sqlite3: one connection, operations serialised. */
export const sqliteDialect: Dialect = {
  name: 'sqlite',
  sqlDialect: 'sqlite',
  maxConnections: 1,
  createDriver: (config: ConnectionConfig): Driver => new SqliteDriver(config),
  beginTransaction: (readOnly) => (readOnly ? ['PRAGMA query_only = ON', 'BEGIN'] : ['BEGIN']),
  endTransaction: (commit, readOnly) => [
    commit ? 'COMMIT' : 'ROLLBACK',
    ...(readOnly ? ['PRAGMA query_only = OFF'] : []),
  ],
  introspect: (run, options) => introspectSqlite(run, options),
};
