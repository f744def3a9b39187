import type { LlmProviderName } from './errors.js';

// What every provider shares (the prompt and provider shapes, defaults, settings). The providers import
// this module; createLlmProvider, which imports them, lives in create-llm-provider.ts, so that the
// modules form a tree.

/** One message of a conversation with a model. */
export interface LlmMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

/** What is sent to a model: instructions with the schema, the conversation, and the answer's JSON schema. */
export interface LlmPrompt {
  /** Instructions (dialect, placeholder style, what may be written, JSON answer) and the schema. */
  readonly system: string;
  /** The conversation: earlier turns, the question, and on a repair the failed answer and its error. Ends with a user message. */
  readonly messages: readonly LlmMessage[];
  /** JSON Schema of the answer (structured output / tool input). */
  readonly answerSchema: Readonly<Record<string, unknown>>;
}

/**
 * A language model that answers a prompt with a JSON value (an object when the wire format can
 * enforce it, else text that should hold one). Implementations load their SDK on first use.
 */
export interface LlmProvider {
  readonly name: LlmProviderName;
  readonly model: string;
  /** Sends the prompt; resolves to the model's answer (parsed object or raw text). */
  complete(prompt: LlmPrompt, options?: { signal?: AbortSignal }): Promise<unknown>;
}

/** Options of the LLM providers. */
export interface LlmProviderOptions {
  /** The API key. Required for Anthropic; for OpenAI optional only with a `baseURL` of another server (Ollama, vLLM). */
  readonly apiKey?: string | undefined;
  /** Base URL of the API. @default https://api.openai.com/v1 (openai), https://api.anthropic.com (anthropic) */
  readonly baseURL?: string | undefined;
  /** Model id. @default LLM_PROVIDER_DEFAULTS.models[provider] */
  readonly model?: string | undefined;
  /**
   * Time limit of one `complete` call, in milliseconds, retries and their waits included: a retry
   * that would not fit is not made. @default 60000
   */
  readonly timeoutMillis?: number | undefined;
  /**
   * Retries on connection errors, 408, 409, 429 and 5xx: after the server's `retry-after-ms` /
   * `retry-after` when it gives one, else 0.5 s, 1 s, 2 s... (within `timeoutMillis`). @default 2
   */
  readonly maxRetries?: number | undefined;
  /** Upper bound of the answer's length, in tokens. @default 2048 */
  readonly maxOutputTokens?: number | undefined;
  /**
   * Sampling temperature, sent as given (0 stays 0); null sends none (models that take no
   * temperature, such as OpenAI's reasoning models). @default 0
   */
  readonly temperature?: number | null | undefined;
  /**
   * Where the key came from, named when the API refuses it (`OPENAI_API_KEY`, `vault entry
   * openai-api-key`). @default the provider's environment variable
   */
  readonly keySource?: string | undefined;
}

/** Defaults of {@link LlmProviderOptions}. */
export const LLM_PROVIDER_DEFAULTS = Object.freeze({
  models: Object.freeze({ openai: 'gpt-4.1-mini', anthropic: 'claude-sonnet-4-6' }),
  baseURLs: Object.freeze({ openai: 'https://api.openai.com/v1', anthropic: 'https://api.anthropic.com' }),
  /** Environment variables that hold the keys (named in the hint of a missing key). */
  keyEnv: Object.freeze({ openai: 'OPENAI_API_KEY', anthropic: 'ANTHROPIC_API_KEY' }),
  timeoutMillis: 60_000,
  maxRetries: 2,
  maxOutputTokens: 2048,
  temperature: 0,
  /** Vault entries that may hold the keys (`aishell vault add openai-api-key`). */
  keyVaultEntry: Object.freeze({ openai: 'openai-api-key', anthropic: 'anthropic-api-key' }),
});

/** What a provider runs with: each option, else its default. */
export interface ProviderSettings {
  readonly baseURL: string;
  readonly model: string;
  readonly timeoutMillis: number;
  readonly maxRetries: number;
  readonly maxOutputTokens: number;
  readonly temperature: number | null;
  readonly keySource: string;
}

/** The settings of provider `name` from its options and LLM_PROVIDER_DEFAULTS. */
export function providerSettings(name: LlmProviderName, options: LlmProviderOptions): ProviderSettings {
  return {
    baseURL: options.baseURL || LLM_PROVIDER_DEFAULTS.baseURLs[name],
    model: options.model || LLM_PROVIDER_DEFAULTS.models[name],
    timeoutMillis: options.timeoutMillis ?? LLM_PROVIDER_DEFAULTS.timeoutMillis,
    maxRetries: options.maxRetries ?? LLM_PROVIDER_DEFAULTS.maxRetries,
    maxOutputTokens: options.maxOutputTokens ?? LLM_PROVIDER_DEFAULTS.maxOutputTokens,
    temperature:
      options.temperature === null ? null : (options.temperature ?? LLM_PROVIDER_DEFAULTS.temperature),
    keySource: options.keySource || LLM_PROVIDER_DEFAULTS.keyEnv[name],
  };
}
