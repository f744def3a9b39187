// Test helpers shared by every package: real servers and a local LLM server. They depend on no aishell
// package. The vitest config is the separate entry `@aishell/testing/vitest`.
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
