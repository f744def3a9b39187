import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { redisUrl, TcpProxy } from '@aishell/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Cache, CacheError, type CacheOptions, createCache } from './index.js';

// Timeouts generous enough for a loaded CI machine to answer when Redis is up.
const TIMEOUTS = {
  connectTimeoutMillis: 1000,
  commandTimeoutMillis: 1000,
  reconnectMaxDelayMillis: 100,
} as const;
/** Slack for a loaded CI machine on top of a configured timeout; what matters is that nothing hangs. */
const SLACK_MILLIS = 2000;

let url: string;
let raw: Redis;
let proxy: TcpProxy;
const namespace = `aishell-test-cache-fault-${randomBytes(4).toString('hex')}`;
const caches: Cache[] = [];

function cacheThroughProxy(options: Partial<Omit<CacheOptions, 'url' | 'namespace'>> = {}): Cache {
  const cache = createCache({ url: proxy.url(url), namespace, ...TIMEOUTS, ...options });
  caches.push(cache);
  return cache;
}

/** How long `call` took to reject, and with what. */
async function failure(call: () => Promise<unknown>): Promise<{ error: unknown; millis: number }> {
  const start = performance.now();
  try {
    await call();
  } catch (error) {
    return { error, millis: performance.now() - start };
  }
  throw new Error('expected the call to fail');
}

function expectUnavailable(result: { error: unknown; millis: number }, withinMillis: number): void {
  expect(result.error).toBeInstanceOf(CacheError);
  expect((result.error as CacheError).code).toBe('CACHE_UNAVAILABLE');
  expect(result.millis).toBeLessThan(withinMillis);
}

async function eventually<T>(call: () => Promise<T>, timeoutMillis = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

beforeAll(async () => {
  url = await redisUrl();
  raw = new Redis(url);
  proxy = TcpProxy.forUrl(url);
  await proxy.start();
});

afterEach(async () => {
  for (const cache of caches.splice(0)) await cache.close();
  await proxy.stop();
  await proxy.start();
});

afterAll(async () => {
  await using cleaner = createCache({ url, namespace });
  await cleaner.clear();
  await raw.del(`${namespace}:v`);
  await proxy.stop();
  raw.disconnect();
});

describe('when Redis goes away', () => {
  it('fails get, set, begin and invalidateTags with CACHE_UNAVAILABLE within the timeout, and works again when Redis is back', async () => {
    const cache = cacheThroughProxy();
    expect(await cache.set('q', 'rows', { ttlSeconds: 30, tags: ['orders'] })).toBe(true);
    expect((await cache.get('q'))?.toString()).toBe('rows');

    await proxy.stop();
    const bound = TIMEOUTS.commandTimeoutMillis + SLACK_MILLIS;
    expectUnavailable(await failure(() => cache.get('q')), bound);
    expectUnavailable(
      await failure(() => cache.set('q2', 'rows', { ttlSeconds: 30, tags: ['orders'] })),
      bound,
    );
    expectUnavailable(await failure(() => cache.begin(['orders'])), bound);
    expectUnavailable(await failure(() => cache.invalidateTags(['orders'])), bound);
    expect((await cache.stats().catch((e: unknown) => e)) as CacheError).toBeInstanceOf(CacheError);

    await proxy.start();
    const value = await eventually(() => cache.get('q'));
    expect(value?.toString()).toBe('rows');
    expect(await cache.set('q2', 'rows 2', { ttlSeconds: 30 })).toBe(true);
    expect((await cache.stats()).local.errors).toBeGreaterThanOrEqual(5);
  });

  it('fails with CACHE_UNAVAILABLE after commandTimeoutMillis when Redis stops answering', async () => {
    const cache = cacheThroughProxy();
    await cache.get('q');
    proxy.pause();
    const result = await failure(() => cache.get('q'));
    expectUnavailable(result, TIMEOUTS.commandTimeoutMillis + SLACK_MILLIS);
    expect(result.millis).toBeGreaterThanOrEqual(TIMEOUTS.commandTimeoutMillis - 50);
  });

  it('reopens a connection that went silent without closing (half-open), and serves again', async () => {
    const cache = cacheThroughProxy();
    await cache.set('half-open', 'v', { ttlSeconds: 30 });
    proxy.freezeOpenConnections();
    expectUnavailable(
      await failure(() => cache.get('half-open')),
      TIMEOUTS.commandTimeoutMillis + SLACK_MILLIS,
    );
    const value = await eventually(() => cache.get('half-open'));
    expect(value?.toString()).toBe('v');
  });

  it('rejects a waiting call with CACHE_ABORTED as soon as its signal fires', async () => {
    const cache = cacheThroughProxy({ commandTimeoutMillis: 5000 });
    await cache.set('abort', 'v', { ttlSeconds: 30 });
    proxy.pause();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('the person pressed Ctrl-C')), 50);
    const result = await failure(() => cache.get('abort', { signal: controller.signal }));
    expect((result.error as CacheError).code).toBe('CACHE_ABORTED');
    expect(result.millis).toBeLessThan(5000);
    // Redis answers after all: the connection is still in step and serves the next call.
    proxy.resume();
    expect((await cache.get('abort'))?.toString()).toBe('v');
  });

  it('fails with CACHE_UNAVAILABLE when Redis accepts the connection but never answers from the start', async () => {
    proxy.pause();
    const cache = cacheThroughProxy();
    const bound = TIMEOUTS.connectTimeoutMillis + 2 * TIMEOUTS.commandTimeoutMillis + SLACK_MILLIS;
    expectUnavailable(await failure(() => cache.get('q')), bound);
    expectUnavailable(await failure(() => cache.set('q', 'v', { ttlSeconds: 30 })), bound);
    proxy.resume();
    await eventually(() => cache.set('q', 'v', { ttlSeconds: 30 }));
    expect((await cache.get('q'))?.toString()).toBe('v');
  });

  it('fails with CACHE_UNAVAILABLE when Redis is down from the start, and connects once it is up', async () => {
    await proxy.stop();
    const cache = cacheThroughProxy();
    const bound = TIMEOUTS.connectTimeoutMillis + TIMEOUTS.commandTimeoutMillis + SLACK_MILLIS;
    expectUnavailable(await failure(() => cache.get('q')), bound);
    expectUnavailable(await failure(() => cache.get('q')), bound);
    await proxy.start();
    await eventually(() => cache.set('late', 'v', { ttlSeconds: 30 }));
    expect((await cache.get('late'))?.toString()).toBe('v');
  });

  it('closes promptly while Redis is away', async () => {
    const cache = cacheThroughProxy();
    await cache.get('q');
    await proxy.stop();
    const start = performance.now();
    await cache.close();
    expect(performance.now() - start).toBeLessThan(TIMEOUTS.commandTimeoutMillis + SLACK_MILLIS);
    expect((await cache.get('q').catch((e: unknown) => e)) as CacheError).toMatchObject({
      code: 'CACHE_CLOSED',
    });
  });

  it('never puts the Redis password in an error message', async () => {
    await proxy.stop();
    const proxied = new URL(proxy.url(url));
    proxied.username = 'someone';
    proxied.password = 'hunter2-secret';
    const cache = createCache({ url: proxied.toString(), namespace, ...TIMEOUTS });
    caches.push(cache);
    const { error } = await failure(() => cache.get('q'));
    expect((error as CacheError).code).toBe('CACHE_UNAVAILABLE');
    expect(String((error as Error).message)).not.toContain('hunter2');
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });
});
