export type ServerKind = 'postgres' | 'mysql' | 'redis';
/** The URL of a real server of this kind for tests (env var, local default, then testcontainers). */
export declare function serverUrl(kind: ServerKind): Promise<string>;
export declare function pgUrl(): Promise<string>;
export declare function mysqlUrl(): Promise<string>;
export declare function redisUrl(): Promise<string>;
export {
  anthropicMessage,
  type LlmReply,
  type LlmRequest,
  type LlmServer,
  llmError,
  openAiCompletion,
  startLlmServer,
} from './llm-server.js';
