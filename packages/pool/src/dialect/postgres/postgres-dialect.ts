import type { ConnectionConfig } from '../../connection-config.js';
import type { Driver } from '../../driver/driver.js';
import type { Dialect } from '../dialect.js';
import { PostgresDriver } from './postgres-driver.js';
import { introspectPostgres } from './postgres-introspector.js';

/** PostgreSQL through node-postgres. */
export const postgresDialect: Dialect = {
  name: 'postgres',
  sqlDialect: 'postgres',
  maxConnections: Number.POSITIVE_INFINITY,
  createDriver: (config: ConnectionConfig): Driver => new PostgresDriver(config),
  beginTransaction: (readOnly) => [readOnly ? 'BEGIN READ ONLY' : 'BEGIN'],
  endTransaction: (commit) => [commit ? 'COMMIT' : 'ROLLBACK'],
  introspect: (run, options) => introspectPostgres('postgres', run, options),
};
