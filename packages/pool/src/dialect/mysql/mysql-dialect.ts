import type { ConnectionConfig } from '../../connection-config.js';
import type { Driver } from '../../driver/driver.js';
import type { Dialect } from '../dialect.js';
import { MysqlDriver } from './mysql-driver.js';
import { introspectMysql } from './mysql-introspector.js';

/** MySQL and MariaDB through mysql2. */
export const mysqlDialect: Dialect = {
  name: 'mysql',
  sqlDialect: 'mysql',
  maxConnections: Number.POSITIVE_INFINITY,
  createDriver: (config: ConnectionConfig): Driver => new MysqlDriver(config),
  // DDL commits the transaction implicitly and would then run outside it: the session's default access
  // mode makes the transaction that follows read-only as well, so that DDL is refused (25006) too.
  beginTransaction: (readOnly) =>
    readOnly ? ['SET SESSION TRANSACTION READ ONLY', 'START TRANSACTION READ ONLY'] : ['START TRANSACTION'],
  endTransaction: (commit, readOnly) =>
    readOnly ? ['ROLLBACK', 'SET SESSION TRANSACTION READ WRITE'] : [commit ? 'COMMIT' : 'ROLLBACK'],
  introspect: (run, options) => introspectMysql(run, options),
};
