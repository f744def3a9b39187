import type { ConnectionConfig, DialectName } from './connection-config.js';
import type { Dialect } from './dialect/dialect.js';
import { mysqlDialect } from './dialect/mysql/mysql-dialect.js';
import { pgliteDialect } from './dialect/pglite/pglite-dialect.js';
import { postgresDialect } from './dialect/postgres/postgres-dialect.js';
import { sqliteDialect } from './dialect/sqlite/sqlite-dialect.js';
import { parseConnectionUrl } from './parse-connection-url.js';
import { ConnectionPool, type Pool } from './pool.js';
import type { PoolOptions } from './pool-options.js';

// The dialect modules are small and import no driver library; pg, mysql2, better-sqlite3 and PGlite
// are loaded by the driver of the engine in use, on its first connection.
const DIALECTS: Readonly<Record<DialectName, Dialect>> = {
  postgres: postgresDialect,
  mysql: mysqlDialect,
  sqlite: sqliteDialect,
  pglite: pgliteDialect,
};

/**
 * Creates a pool for a connection URL or parsed config. Synchronous: nothing connects until the first
 * query (or `ping()`).
 * @example
 * await using pool = createPool('postgres://postgres@127.0.0.1/shop', { max: 4 });
 * const { rows } = await pool.query('select id from users where email = $1', [email]);
 */
export function createPool(target: string | ConnectionConfig, options?: PoolOptions): Pool {
  const config = typeof target === 'string' ? parseConnectionUrl(target) : target;
  return new ConnectionPool(DIALECTS[config.dialect], config, options);
}
