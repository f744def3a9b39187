import { setTimeout as sleep } from 'node:timers/promises';
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

function timeoutError(provider: LlmProviderName, baseURL: string, timeoutMillis: number): NlProviderError {
  return new NlProviderError(
    'NL_PROVIDER_TIMEOUT',
    provider,
    `the ${provider} API at ${baseURL} did not answer within ${timeoutMillis} ms`,
    { hint: 'try again later, raise --provider-timeout, or use --provider offline' },
  );
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
  context: {
    signal?: AbortSignal | undefined;
    timeoutMillis: number;
    baseURL: string;
    /** Where the key came from (an environment variable or a vault entry). */
    keySource?: string | undefined;
  },
): unknown {
  if (error instanceof NlError) return error;
  if (error instanceof sdk.APIUserAbortError || context.signal?.aborted) return new NlAbortedError();
  if (error instanceof sdk.APIConnectionTimeoutError) {
    return timeoutError(provider, context.baseURL, context.timeoutMillis);
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
    const keySource = context.keySource ?? (provider === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY');
    if (code === 401 || code === 403) {
      return new NlProviderError(
        'NL_PROVIDER_AUTH',
        provider,
        `the ${provider} API refused the API key from ${keySource} (HTTP ${code})`,
        { ...details, hint: `check ${keySource}, or use --provider offline` },
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

/** Statuses worth another try (as the SDKs' own retry logic has them). */
const RETRYABLE = (status: number): boolean =>
  status === 408 || status === 409 || status === 429 || status >= 500;

/** The wait a 429 or 503 asks for, from `retry-after-ms`, else `retry-after` (seconds or an HTTP date). */
export function retryAfterMillis(headers: unknown, now = Date.now()): number | null {
  const get = (name: string): string | null => {
    if (headers && typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
    const value = (headers as Record<string, unknown> | undefined)?.[name];
    return typeof value === 'string' ? value : null;
  };
  const ms = Number.parseFloat(get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const after = get('retry-after');
  if (after === null) return null;
  const seconds = Number.parseFloat(after);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** What {@link withRetries} needs to know. */
export interface RetryContext {
  readonly sdk: SdkErrorClasses;
  readonly provider: LlmProviderName;
  readonly maxRetries: number;
  readonly timeoutMillis: number;
  readonly baseURL: string;
  readonly keySource: string;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs `attempt` (one HTTP request with the SDK's own retries off, given the time left) and retries it
 * on connection errors, 408, 409, 429 and 5xx, waiting what the server asks (`retry-after-ms`,
 * `retry-after`) or 0.5 s, 1 s, 2 s..., all within `timeoutMillis`. The SDKs retry too, but their
 * limit is per request and they wait at most 60 s whatever the deadline: a retry that cannot finish
 * in time is not worth making, so the loop is ours. Errors come out as {@link providerErrorOf} has them.
 */
export async function withRetries<T>(
  context: RetryContext,
  attempt: (timeoutMillis: number) => Promise<T>,
): Promise<T> {
  const started = Date.now();
  const failure = (error: unknown, extra?: string): unknown => {
    const e = providerErrorOf(error, context.sdk, context.provider, context);
    if (extra && e instanceof NlProviderError && e.code === 'NL_PROVIDER_RATE_LIMITED') {
      return new NlProviderError(e.code, e.provider, `${e.message}; ${extra}`, {
        ...(e.status === undefined ? {} : { status: e.status }),
        ...(e.hint === undefined ? {} : { hint: e.hint }),
      });
    }
    return e;
  };
  for (let tries = 0; ; tries++) {
    const left = context.timeoutMillis - (Date.now() - started);
    if (left <= 0) {
      throw timeoutError(context.provider, context.baseURL, context.timeoutMillis);
    }
    try {
      return await attempt(left);
    } catch (error) {
      if (error instanceof NlError || context.signal?.aborted) throw failure(error);
      const status = (error as { status?: unknown }).status;
      const retryable =
        error instanceof context.sdk.APIConnectionTimeoutError
          ? false
          : error instanceof context.sdk.APIConnectionError ||
            (error instanceof context.sdk.APIError && typeof status === 'number' && RETRYABLE(status));
      if (!retryable || tries >= context.maxRetries) throw failure(error);
      const asked = retryAfterMillis((error as { headers?: unknown }).headers);
      const wait = asked ?? Math.min(8000, 500 * 2 ** tries);
      const remaining = context.timeoutMillis - (Date.now() - started);
      if (wait >= remaining) {
        throw failure(
          error,
          `it asked to wait ${Math.ceil(wait / 1000)} s, more than the ${Math.max(0, Math.round(remaining))} ms left of the time limit`,
        );
      }
      try {
        await sleep(wait, undefined, context.signal ? { signal: context.signal } : {});
      } catch {
        throw new NlAbortedError(context.signal?.reason);
      }
    }
  }
}
