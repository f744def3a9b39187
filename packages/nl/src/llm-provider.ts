import type { LlmProviderName } from './errors.js';

// What every provider shares (the prompt and provider shapes, defaults, settings). The providers import
// this module; createLlmProvider, which imports them, lives in create-llm-provider.ts, so that the
// modules form a tree.

/** What is sent to a model: instructions, the schema and the question, and the answer's JSON schema. */
export interface LlmPrompt {
  /** Instructions: dialect, placeholder style, read-only SELECT only, JSON answer. */
  readonly system: string;
  /** The schema description and the question. */
  readonly user: string;
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
  /** Time limit of one HTTP request, in milliseconds (each retry gets its own). @default 60000 */
  readonly timeoutMillis?: number | undefined;
  /** Retries on connection errors, timeouts, 408, 409, 429 and 5xx, with the SDK's backoff (honours retry-after). @default 2 */
  readonly maxRetries?: number | undefined;
  /** Upper bound of the answer's length, in tokens. @default 2048 */
  readonly maxOutputTokens?: number | undefined;
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
});

/** What a provider runs with: each option, else its default. */
export interface ProviderSettings {
  readonly baseURL: string;
  readonly model: string;
  readonly timeoutMillis: number;
  readonly maxRetries: number;
  readonly maxOutputTokens: number;
}

/** The settings of provider `name` from its options and LLM_PROVIDER_DEFAULTS. */
export function providerSettings(name: LlmProviderName, options: LlmProviderOptions): ProviderSettings {
  return {
    baseURL: options.baseURL || LLM_PROVIDER_DEFAULTS.baseURLs[name],
    model: options.model || LLM_PROVIDER_DEFAULTS.models[name],
    timeoutMillis: options.timeoutMillis ?? LLM_PROVIDER_DEFAULTS.timeoutMillis,
    maxRetries: options.maxRetries ?? LLM_PROVIDER_DEFAULTS.maxRetries,
    maxOutputTokens: options.maxOutputTokens ?? LLM_PROVIDER_DEFAULTS.maxOutputTokens,
  };
}
