import { randomBytes } from 'node:crypto';
import { type RedisCluster, redisClusterAvailable, startRedisCluster } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cache, createCache } from './index.js';
import { raceStress } from './race-stress.fixture.js';

// A real three-master Redis Cluster of the machine's redis-server on loopback ports, in a temporary folder.
const available = redisClusterAvailable();
const run = randomBytes(4).toString('hex');
let cluster: RedisCluster | undefined;
const made: Cache[] = [];

function cacheOn(name: string): Cache {
  const cache = createCache({
    url: cluster?.url ?? '',
    namespace: `aishell-test-cluster-${run}-${name}`,
    commandTimeoutMillis: 1000,
  });
  made.push(cache);
  return cache;
}

beforeAll(async () => {
  if (available || process.env.CI === 'true') cluster = await startRedisCluster(3);
}, 60_000);

afterAll(async () => {
  for (const cache of made) await cache.close();
  await cluster?.close();
});

describe.skipIf(!available && process.env.CI !== 'true')('the cache on a three-master Redis Cluster', () => {
  it('serves a hit and drops it on invalidation, every script on one slot', async () => {
    const cache = cacheOn('basic');
    expect(await cache.get('q1')).toBeNull();
    const ticket = await cache.begin(['orders', 'customers']);
    expect(await cache.set('q1', 'rows', { ttlSeconds: 30, tags: ['orders', 'customers'], ticket })).toBe(
      true,
    );
    expect((await cache.get('q1'))?.toString()).toBe('rows');
    expect(await cache.invalidateTags(['orders'])).toBe(1);
    expect(await cache.get('q1')).toBeNull();
  });

  it('drops a tag of thousands of entries in batches', async () => {
    const cache = cacheOn('large');
    for (let i = 0; i < 1200; i += 100)
      await Promise.all(
        Array.from({ length: 100 }, (_, j) => cache.set(`q${i + j}`, 'v', { ttlSeconds: 60, tags: ['big'] })),
      );
    expect(await cache.invalidateTags(['big'])).toBe(1200);
    expect((await cache.stats()).keys).toBe(0);
  });

  it('refuses a fill that an invalidation overtook (the race of docs/cache.md)', async () => {
    const filler = cacheOn('race');
    const writer = cacheOn('race');
    const ticket = await filler.begin(['orders']);
    await writer.invalidateTags(['orders']);
    expect(await filler.set('q', 'stale', { ttlSeconds: 30, tags: ['orders'], ticket })).toBe(false);
    expect(await filler.get('q')).toBeNull();
  });

  it('never serves a value older than the last completed invalidation under concurrent fills', async () => {
    const { stale, stats } = await raceStress(cacheOn('race-stress'));
    expect(stale).toEqual([]);
    expect(stats.refused).toBeGreaterThan(0);
    expect(stats.hits).toBeGreaterThan(0);
  });

  it('keeps every key of a namespace in one hash slot', async () => {
    const cache = cacheOn('slot');
    await cache.set('a', 'v', { ttlSeconds: 30, tags: ['t1', 't2'] });
    await cache.set('b', 'v', { ttlSeconds: 30, tags: ['t3'] });
    const listed = [];
    for await (const entry of cache.entries()) listed.push(entry.key);
    expect(listed).toHaveLength(2);
    expect(listed.every((k) => k.startsWith(`{${cache.namespace}}:e:`))).toBe(true);
    expect(await cache.clear()).toBe(2);
  });

  // Last: it stops a master.
  it('fails fast with CACHE_UNAVAILABLE when the master of its slot stops, and never hangs', async () => {
    const cache = cacheOn('down');
    await cache.set('k', 'v', { ttlSeconds: 30, tags: ['t'] });
    const owner = await (cluster as RedisCluster).masterOf(`{${cache.namespace}}`);
    await (cluster as RedisCluster).stop(owner);
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => cache.get('k')));
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'CACHE_UNAVAILABLE' });
    }
  });
});
