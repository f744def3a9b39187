import {
  type LlmProviderName,
  NlAbortedError,
  NlError,
  NlNoTranslationError,
  NlProviderError,
} from './errors.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/** The error classes both official SDKs export (they share one generated client core). */
export interface SdkErrorClasses {
  readonly APIError: ErrorClass;
  readonly APIConnectionError: ErrorClass;
  readonly APIConnectionTimeoutError: ErrorClass;
  readonly APIUserAbortError: ErrorClass;
}

/**
 * Turns an SDK error into an NlError with a stable code (anything else is returned unchanged). The server's error text is left out on
 * purpose: an auth failure's text can echo part of the key. Only a network error (which never holds
 * the key) is kept as `cause`.
 */
export function providerErrorOf(
  error: unknown,
  sdk: SdkErrorClasses,
  provider: LlmProviderName,
  context: { signal?: AbortSignal | undefined; timeoutMillis: number; baseURL: string },
): unknown {
  if (error instanceof NlError) return error;
  if (error instanceof sdk.APIUserAbortError || context.signal?.aborted) return new NlAbortedError();
  if (error instanceof sdk.APIConnectionTimeoutError) {
    return new NlProviderError(
      'NL_PROVIDER_TIMEOUT',
      provider,
      `the ${provider} API at ${context.baseURL} did not answer within ${context.timeoutMillis} ms`,
      { hint: 'try again later, or use --provider offline' },
    );
  }
  if (error instanceof sdk.APIConnectionError) {
    return new NlProviderError(
      'NL_PROVIDER_UNREACHABLE',
      provider,
      `cannot reach the ${provider} API at ${context.baseURL}`,
      {
        hint: 'check the network and the base URL, or use --provider offline',
        cause: error.cause,
      },
    );
  }
  if (error instanceof sdk.APIError) {
    const status = (error as Error & { status?: unknown }).status;
    const code = typeof status === 'number' ? status : undefined;
    const details = code === undefined ? {} : { status: code };
    if (code === 401 || code === 403) {
      return new NlProviderError(
        'NL_PROVIDER_AUTH',
        provider,
        `the ${provider} API refused the API key (HTTP ${code})`,
        { ...details, hint: `check ${provider === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY'}` },
      );
    }
    if (code === 429) {
      return new NlProviderError(
        'NL_PROVIDER_RATE_LIMITED',
        provider,
        `the ${provider} API is rate limiting requests (HTTP 429, still after retries)`,
        {
          ...details,
          hint: 'wait a moment and try again, or use --provider offline',
        },
      );
    }
    if (code !== undefined && code >= 400 && code < 500) {
      return new NlProviderError(
        'NL_PROVIDER_REJECTED',
        provider,
        `the ${provider} API rejected the request (HTTP ${code})`,
        {
          ...details,
          hint: 'check the model name (--model or AISHELL_NL_MODEL) and the base URL',
        },
      );
    }
    return new NlProviderError(
      'NL_PROVIDER_FAILED',
      provider,
      `the ${provider} API failed (HTTP ${code ?? 'error'})`,
      details,
    );
  }
  // A 200 whose body is not JSON: the server answered, but not in the wire format.
  if (error instanceof SyntaxError) {
    return new NlNoTranslationError(`the ${provider} answer could not be read: it is not JSON`, {
      suggestions: [],
      hint: 'check that the base URL points at an API of this kind, or use --provider offline',
    });
  }
  return error;
}
