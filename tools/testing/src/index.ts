// Test helpers shared by every package: real servers, per-dialect test databases, a TCP proxy for fault
// tests, a local LLM server, and SQLite fixtures. They depend on no aishell package. The vitest config is
// the separate entry `@aishell/testing/vitest`.
export {
  anthropicMessage,
  type LlmReply,
  type LlmRequest,
  type LlmServer,
  llmError,
  openAiCompletion,
  startLlmServer,
} from './llm-server.js';
export {
  type OpenSqliteOptions,
  openSqlite,
  type SqliteDatabase,
  type SqliteDriver,
  type SqliteRunResult,
  type SqliteStatement,
} from './open-sqlite.js';
export { type RedisCluster, redisClusterAvailable, startRedisCluster } from './redis-cluster.js';
export { mysqlUrl, pgUrl, redisUrl, type ServerKind, serverUrl } from './server-url.js';
export {
  openShop,
  openSqliteFixture,
  type SchemaIndexing,
  type SqliteFixture,
} from './sqlite-fixture.js';
export {
  type SqliteLike,
  type SqliteProbe,
  type SqliteSchema,
  type SqliteTable,
  sqliteProbe,
  sqliteSchema,
} from './sqlite-schema.js';
export { TcpProxy } from './tcp-proxy.js';
export {
  DIALECTS,
  type DialectSql,
  SERVER_DIALECTS,
  SQL,
  suffix,
  TestDatabases,
  type TestDialect,
} from './test-databases.js';
