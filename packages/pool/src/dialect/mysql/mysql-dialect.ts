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
  beginTransaction: (readOnly) => [readOnly ? 'START TRANSACTION READ ONLY' : 'START TRANSACTION'],
  endTransaction: (commit) => [commit ? 'COMMIT' : 'ROLLBACK'],
  introspect: (run, options) => introspectMysql(run, options),
};
