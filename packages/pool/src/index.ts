export type { ConnectionConfig, DialectName, SqlDialect } from './connection-config.js';
export { createPool } from './create-pool.js';
export type { Dialect, RunQuery } from './dialect/dialect.js';
export type { Cursor, DatabaseConnection, ResetOutcome } from './driver/database-connection.js';
export type { Driver, DriverConnectOptions } from './driver/driver.js';
export {
  AbortedError,
  AcquireTimeoutError,
  ConnectError,
  ConnectionLostError,
  ConnectionUrlError,
  PoolClosedError,
  PoolError,
  type PoolErrorCode,
  QueryError,
  StatementTimeoutError,
} from './errors.js';
export { type ParseConnectionUrlOptions, parseConnectionUrl } from './parse-connection-url.js';
export type { Connection, Pool, TransactionOptions } from './pool.js';
export {
  DEFAULT_POOL_OPTIONS,
  type PoolOptions,
  type ReconnectOptions,
  type ResolvedPoolOptions,
} from './pool-options.js';
export { DEFAULT_STREAM_BATCH_SIZE } from './pool-row-stream.js';
export type {
  Field,
  Queryable,
  QueryOptions,
  QueryResult,
  RowStream,
  StreamOptions,
} from './query-result.js';
export { redactUrl } from './redact-url.js';
export type { ColumnInfo, ForeignKeyInfo, IndexInfo, SchemaInfo, TableInfo } from './schema-info.js';
