// Test helpers shared by every package: real servers, per-dialect test databases, a TCP proxy for fault
// tests and a local LLM server. They depend on no aishell package. The vitest config is the separate
// entry `@aishell/testing/vitest`.
export {
  anthropicMessage,
  type LlmReply,
  type LlmRequest,
  type LlmServer,
  llmError,
  openAiCompletion,
  startLlmServer,
} from './llm-server.js';
export { mysqlUrl, pgUrl, redisUrl, type ServerKind, serverUrl } from './server-url.js';
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
