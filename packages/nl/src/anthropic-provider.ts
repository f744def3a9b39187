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
import { providerErrorOf } from './provider-error.js';

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
        baseURL: this.#settings.baseURL,
        timeout: this.#settings.timeoutMillis,
        maxRetries: this.#settings.maxRetries,
        // Libraries never print: the SDK's own warnings would go to the console.
        logLevel: 'off',
      }),
    }));
    return this.#client;
  }

  async complete(prompt: LlmPrompt, options: { signal?: AbortSignal } = {}): Promise<unknown> {
    const { client, sdk } = await this.#load();
    let message: Anthropic.Messages.Message;
    try {
      message = await client.messages.create(
        {
          model: this.model,
          max_tokens: this.#settings.maxOutputTokens,
          system: prompt.system,
          messages: [{ role: 'user', content: prompt.user }],
          tools: [
            {
              name: TOOL,
              description: 'Give the SQL that answers the question, its parameters and an explanation.',
              input_schema: { type: 'object', ...prompt.answerSchema },
            },
          ],
          tool_choice: { type: 'tool', name: TOOL },
        },
        options.signal ? { signal: options.signal } : {},
      );
    } catch (error) {
      throw providerErrorOf(error, sdk, 'anthropic', {
        signal: options.signal,
        timeoutMillis: this.#settings.timeoutMillis,
        baseURL: this.#settings.baseURL,
      });
    }
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
