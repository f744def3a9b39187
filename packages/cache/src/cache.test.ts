import { describe, expect, it } from 'vitest';
import { CACHE_DEFAULTS, type CacheError, type CacheOptions, createCache } from './index.js';

// These never reach Redis: the connection opens on first use, and bad options fail before that.
const URL_WITH_PASSWORD = 'redis://someone:hunter2-secret@127.0.0.1:6379/15';

function failure(options: CacheOptions): CacheError {
  try {
    createCache(options);
  } catch (error) {
    return error as CacheError;
  }
  throw new Error('expected createCache to throw');
}

describe('createCache options', () => {
  it('rejects a namespace that could match another namespace pattern', () => {
    for (const namespace of ['', 'a:b', 'a*', 'x'.repeat(65), 'with space']) {
      expect(failure({ url: URL_WITH_PASSWORD, namespace }).code).toBe('CACHE_INVALID_ARGUMENT');
    }
  });

  it('rejects a malformed or non-Redis URL without repeating its password', () => {
    for (const url of ['not a url', 'http://someone:hunter2-secret@127.0.0.1:6379']) {
      const error = failure({ url });
      expect(error.code).toBe('CACHE_INVALID_ARGUMENT');
      expect(error.message).not.toContain('hunter2');
    }
  });

  it('rejects a TTL, size or timeout that is not positive', () => {
    expect(failure({ url: URL_WITH_PASSWORD, defaultTtlSeconds: 0 }).code).toBe('CACHE_INVALID_ARGUMENT');
    expect(failure({ url: URL_WITH_PASSWORD, defaultTtlSeconds: Number.NaN }).code).toBe(
      'CACHE_INVALID_ARGUMENT',
    );
    expect(failure({ url: URL_WITH_PASSWORD, maxValueBytes: -1 }).code).toBe('CACHE_INVALID_ARGUMENT');
    expect(failure({ url: URL_WITH_PASSWORD, commandTimeoutMillis: 1.5 }).code).toBe(
      'CACHE_INVALID_ARGUMENT',
    );
    expect(failure({ url: URL_WITH_PASSWORD, connectTimeoutMillis: 0 }).code).toBe('CACHE_INVALID_ARGUMENT');
  });

  it('uses the default namespace and accepts rediss:// URLs', async () => {
    const cache = createCache({ url: 'rediss://127.0.0.1:6380/0' });
    expect(cache.namespace).toBe(CACHE_DEFAULTS.namespace);
    await cache.close();
  });

  it('rejects empty tags and a set with a TTL that is not positive, before any round trip', async () => {
    await using cache = createCache({ url: URL_WITH_PASSWORD });
    await expect(cache.invalidateTags([''])).rejects.toMatchObject({ code: 'CACHE_INVALID_ARGUMENT' });
    await expect(cache.set('k', 'v', { ttlSeconds: -1 })).rejects.toMatchObject({
      code: 'CACHE_INVALID_ARGUMENT',
    });
  });
});
