import type { ConnectionConfig, DialectName, SqlDialect } from '../connection-config.js';
import type { Driver } from '../driver/driver.js';
import type { QueryResult } from '../query-result.js';
import type { SchemaInfo } from '../schema-info.js';

/** Runs one introspection statement on the connection the pool lent. */
export type RunQuery = (sql: string, params?: readonly unknown[]) => Promise<QueryResult>;

/** Everything engine-specific, in the manner of Kysely's Dialect: a driver, SQL variants, introspection. */
export interface Dialect {
  readonly name: DialectName;
  readonly sqlDialect: SqlDialect;
  /** Most connections a pool may open (1 for the in-process engines, which serialise work). */
  readonly maxConnections: number;
  createDriver(config: ConnectionConfig): Driver;
  /** Statements that open a transaction. */
  beginTransaction(readOnly: boolean): readonly string[];
  /** Statements that end it (commit or roll back), restoring any session state `beginTransaction` set. */
  endTransaction(commit: boolean, readOnly: boolean): readonly string[];
  introspect(run: RunQuery, options: { schemas?: readonly string[] | undefined }): Promise<SchemaInfo>;
}
