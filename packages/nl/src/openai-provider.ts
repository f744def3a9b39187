import type OpenAI from 'openai';
import { NlMissingApiKeyError, NlNoTranslationError } from './errors.js';
import {
  LLM_PROVIDER_DEFAULTS,
  type LlmPrompt,
  type LlmProvider,
  type LlmProviderOptions,
  type ProviderSettings,
  providerSettings,
} from './llm-provider.js';
import { withRetries } from './provider-error.js';

// Ollama and vLLM ignore the key, but the SDK insists on one: a placeholder is sent to such servers.
const KEYLESS_PLACEHOLDER = 'no-key';

/**
 * Chat Completions through the official `openai` SDK, with a JSON-schema response format. Any
 * OpenAI-compatible server works through `baseURL` (Ollama: http://localhost:11434/v1, vLLM).
 * The SDK loads on the first call, so nothing of it is read on the offline path.
 */
export class OpenAiProvider implements LlmProvider {
  readonly name = 'openai' as const;
  readonly model: string;
  readonly #apiKey: string;
  readonly #settings: ProviderSettings;
  #client: Promise<{ client: OpenAI; sdk: typeof import('openai') }> | undefined;

  constructor(options: LlmProviderOptions = {}) {
    this.#settings = providerSettings('openai', options);
    const custom = this.#settings.baseURL.replace(/\/+$/, '') !== LLM_PROVIDER_DEFAULTS.baseURLs.openai;
    if (!options.apiKey && !custom)
      throw new NlMissingApiKeyError('openai', LLM_PROVIDER_DEFAULTS.keyEnv.openai);
    this.#apiKey = options.apiKey || KEYLESS_PLACEHOLDER;
    this.model = this.#settings.model;
  }

  #load(): Promise<{ client: OpenAI; sdk: typeof import('openai') }> {
    this.#client ??= import('openai').then((sdk) => ({
      sdk,
      client: new sdk.OpenAI({
        apiKey: this.#apiKey,
        baseURL: this.#settings.baseURL,
        timeout: this.#settings.timeoutMillis,
        // Retries are withRetries' (within the time limit of the whole call).
        maxRetries: 0,
        // Libraries never print: the SDK's own warnings would go to the console.
        logLevel: 'off',
      }),
    }));
    return this.#client;
  }

  async complete(prompt: LlmPrompt, options: { signal?: AbortSignal } = {}): Promise<unknown> {
    const { client, sdk } = await this.#load();
    const settings = this.#settings;
    const completion = await withRetries(
      { sdk, provider: 'openai', ...settings, signal: options.signal },
      (timeout) =>
        client.chat.completions.create(
          {
            model: this.model,
            messages: [
              { role: 'system', content: prompt.system },
              ...prompt.messages.map((m) => ({ role: m.role, content: m.content })),
            ],
            response_format: {
              type: 'json_schema',
              json_schema: { name: 'sql_answer', strict: true, schema: { ...prompt.answerSchema } },
            },
            max_completion_tokens: settings.maxOutputTokens,
            ...(settings.temperature === null ? {} : { temperature: settings.temperature }),
          },
          { timeout, maxRetries: 0, ...(options.signal ? { signal: options.signal } : {}) },
        ),
    );
    const message = completion.choices?.[0]?.message;
    if (message?.refusal) {
      throw new NlNoTranslationError(`the openai model declined: ${message.refusal}`, {
        suggestions: [],
        hint: 'rephrase the question, or use --provider offline',
      });
    }
    return message?.content ?? null;
  }
}
