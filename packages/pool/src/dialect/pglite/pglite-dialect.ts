import type { ConnectionConfig } from '../../connection-config.js';
import type { Driver } from '../../driver/driver.js';
import type { Dialect } from '../dialect.js';
import { introspectPostgres } from '../postgres/postgres-introspector.js';
import { PgliteDriver } from './pglite-driver.js';

/** Embedded PostgreSQL (PGlite): one instance per pool, operations serialised. */
export const pgliteDialect: Dialect = {
  name: 'pglite',
  sqlDialect: 'postgres',
  maxConnections: 1,
  createDriver: (config: ConnectionConfig): Driver => new PgliteDriver(config),
  beginTransaction: (readOnly) => [readOnly ? 'BEGIN READ ONLY' : 'BEGIN'],
  endTransaction: (commit) => [commit ? 'COMMIT' : 'ROLLBACK'],
  introspect: (run, options) => introspectPostgres('pglite', run, options),
};
