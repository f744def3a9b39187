import type Anthropic from '@anthropic-ai/sdk';
import { NlMissingApiKeyError } from './errors.js';
import {
  LLM_PROVIDER_DEFAULTS,
  type LlmPrompt,
  type LlmProvider,
  type LlmProviderOptions,
  type ProviderSettings,
  providerSettings,
} from './llm-provider.js';
import { withRetries } from './provider-error.js';

const TOOL = 'answer_with_sql';

/**
 * The Messages API through the official `@anthropic-ai/sdk`. The answer comes as the input of a
 * forced tool call, so it is JSON that follows the schema. The SDK loads on the first call.
 */
export class AnthropicProvider implements LlmProvider {
  readonly name = 'anthropic' as const;
  readonly model: string;
  readonly #apiKey: string;
  readonly #settings: ProviderSettings;
  #client: Promise<{ client: Anthropic; sdk: typeof import('@anthropic-ai/sdk') }> | undefined;

  constructor(options: LlmProviderOptions = {}) {
    if (!options.apiKey) throw new NlMissingApiKeyError('anthropic', LLM_PROVIDER_DEFAULTS.keyEnv.anthropic);
    this.#apiKey = options.apiKey;
    this.#settings = providerSettings('anthropic', options);
    this.model = this.#settings.model;
  }

  #load(): Promise<{ client: Anthropic; sdk: typeof import('@anthropic-ai/sdk') }> {
    this.#client ??= import('@anthropic-ai/sdk').then((sdk) => ({
      sdk,
      client: new sdk.Anthropic({
        apiKey: this.#apiKey,
        authToken: null,
        // The Messages API documents the key in x-api-key; this SDK version (1.14) sends it as
        // `Authorization: Bearer` (seen on the wire), which api.anthropic.com and proxies that follow
        // the documentation may refuse. The header is set here, and the bearer one removed.
        defaultHeaders: { 'x-api-key': this.#apiKey, authorization: null },
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
    const message: Anthropic.Messages.Message = await withRetries(
      { sdk, provider: 'anthropic', ...settings, signal: options.signal },
      (timeout) =>
        client.messages.create(
          {
            stream: false,
            model: this.model,
            max_tokens: settings.maxOutputTokens,
            // No temperature: the Messages API of this SDK version (1.14) no longer takes one (its
            // types dropped it after a deprecation); the setting applies to the openai provider.
            system: prompt.system,
            messages: prompt.messages.map((m) => ({ role: m.role, content: m.content })),
            tools: [
              {
                name: TOOL,
                description: 'Give the SQL that answers the question, its parameters and an explanation.',
                input_schema: { type: 'object', ...prompt.answerSchema },
              },
            ],
            tool_choice: { type: 'tool', name: TOOL },
          },
          { timeout, maxRetries: 0, ...(options.signal ? { signal: options.signal } : {}) },
        ),
    );
    const content = Array.isArray(message.content) ? message.content : [];
    const tool = content.find((b) => b.type === 'tool_use' && b.name === TOOL);
    if (tool && tool.type === 'tool_use') return tool.input;
    // A model (or compatible server) that ignored the tool: read the text instead.
    return content
      .filter((b) => b.type === 'text')
      .map((b) => (b.type === 'text' ? b.text : ''))
      .join('\n');
  }
}
