import { AnthropicProvider } from './anthropic-provider.js';
import type { LlmProviderName } from './errors.js';
import type { LlmProvider, LlmProviderOptions } from './llm-provider.js';
import { OpenAiProvider } from './openai-provider.js';

/**
 * Creates the provider of that name; its SDK loads on the first `complete`. Throws
 * NlMissingApiKeyError when the key is needed and missing.
 * @example const p = createLlmProvider('openai', { apiKey: process.env.OPENAI_API_KEY });
 */
export function createLlmProvider(name: LlmProviderName, options: LlmProviderOptions = {}): LlmProvider {
  return name === 'openai' ? new OpenAiProvider(options) : new AnthropicProvider(options);
}
