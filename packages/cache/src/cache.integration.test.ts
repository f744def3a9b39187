import { createHash, randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { redisUrl } from '@aishell/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Cache, CacheError, type CacheOptions, createCache } from './index.js';
import { raceStress } from './race-stress.fixture.js';

const run = randomBytes(4).toString('hex');
let url: string;
let raw: Redis;
const made: Cache[] = [];

/** A cache on a namespace of its own, cleared (version hash included) after the file. */
function cacheOn(name: string, options: Partial<Omit<CacheOptions, 'url' | 'namespace'>> = {}): Cache {
  const cache = createCache({ url, namespace: `aishell-test-cache-${run}-${name}`, ...options });
  made.push(cache);
  return cache;
}

const entryKey = (namespace: string, key: string): string =>
  `${namespace}:e:${createHash('sha256').update(key).digest('hex')}`;

beforeAll(async () => {
  url = await redisUrl();
  raw = new Redis(url);
});

afterAll(async () => {
  for (const cache of made) {
    // Close first (it adds its last counts to Redis), then clear with a fresh cache on the namespace.
    await cache.close();
    await using cleaner = createCache({ url, namespace: cache.namespace });
    await cleaner.clear();
    await raw.del(`${cache.namespace}:v`);
  }
  raw.disconnect();
});

describe('get and set', () => {
  it('misses a key never set, then returns exactly the bytes that were stored', async () => {
    const cache = cacheOn('basic');
    expect(await cache.get('q1')).toBeNull();
    const bytes = randomBytes(64);
    expect(await cache.set('q1', bytes, { ttlSeconds: 30, tags: ['orders'] })).toBe(true);
    expect(await cache.get('q1')).toEqual(bytes);
    expect(await cache.set('q2', 'héllo', { ttlSeconds: 30 })).toBe(true);
    expect((await cache.get('q2'))?.toString('utf8')).toBe('héllo');
  });

  it('sends calls that overlap in one write, and a lone call at once', async () => {
    const cache = cacheOn('coalesce');
    await cache.set('k', 'v', { ttlSeconds: 30 });
    const control = new Redis(url);
    await control.set(`${cache.namespace}:control`, 'v', 'EX', 30);
    // Every write to a socket ends in _write (one chunk) or _writev (chunks corked together).
    const writes = vi.spyOn(Socket.prototype, '_write');
    const writevs = vi.spyOn(Socket.prototype, '_writev');
    try {
      const count = (): number => writes.mock.calls.length + writevs.mock.calls.length;
      let before = count();
      await Promise.all(Array.from({ length: 32 }, () => control.get(`${cache.namespace}:control`)));
      expect(count() - before).toBe(32); // plain ioredis: a write per command
      before = count();
      const values = await Promise.all(Array.from({ length: 32 }, () => cache.get('k')));
      expect(values.every((v) => v?.toString() === 'v')).toBe(true);
      // The first call is written at once; the 31 that overlap it leave together.
      expect(count() - before).toBe(2);
      expect(writevs.mock.calls.at(-1)?.[0]).toHaveLength(31);
      before = count();
      expect((await cache.get('k'))?.toString()).toBe('v');
      expect(count() - before).toBe(1);
    } finally {
      writes.mockRestore();
      writevs.mockRestore();
      control.disconnect();
    }
  });

  it('expires an entry after its TTL', async () => {
    const cache = cacheOn('ttl');
    expect(await cache.set('short', 'v', { ttlSeconds: 0.15, tags: ['t'] })).toBe(true);
    const pttl = await raw.pttl(entryKey(cache.namespace, 'short'));
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(150);
    expect((await cache.get('short'))?.toString()).toBe('v');
    await sleep(300);
    expect(await cache.get('short')).toBeNull();
  });

  it('uses defaultTtlSeconds when set names no TTL', async () => {
    const cache = cacheOn('default-ttl', { defaultTtlSeconds: 42 });
    await cache.set('k', 'v');
    const pttl = await raw.pttl(entryKey(cache.namespace, 'k'));
    expect(pttl).toBeGreaterThan(41_000);
    expect(pttl).toBeLessThanOrEqual(42_000);
  });

  it('stores a key as its sha256 under the namespace, never the key itself', async () => {
    const cache = cacheOn('hashed');
    const key = 'postgres://prod|select * from orders where id = $1|[42]';
    await cache.set(key, 'rows', { ttlSeconds: 30, tags: ['orders'] });
    expect(await raw.exists(entryKey(cache.namespace, key))).toBe(1);
    const [, keys] = await raw.scan('0', 'MATCH', `${cache.namespace}:*`, 'COUNT', 1000);
    expect(keys.some((k) => k.includes('select'))).toBe(false);
  });

  it('does not cache a value larger than maxValueBytes', async () => {
    const cache = cacheOn('too-large', { maxValueBytes: 16 });
    expect(await cache.set('big', Buffer.alloc(17), { ttlSeconds: 30 })).toBe(false);
    expect(await cache.get('big')).toBeNull();
    expect(await cache.set('fits', Buffer.alloc(16), { ttlSeconds: 30 })).toBe(true);
    expect((await cache.stats()).local.tooLarge).toBe(1);
  });

  it('keeps a tag index alive at least as long as its longest-lived entry', async () => {
    const cache = cacheOn('tag-ttl');
    const index = `${cache.namespace}:t:orders`;
    await cache.set('long', 'v', { ttlSeconds: 100, tags: ['orders'] });
    await cache.set('short', 'v', { ttlSeconds: 10, tags: ['orders'] });
    expect(await raw.pttl(index)).toBeGreaterThan(99_000);
    await cache.set('longer', 'v', { ttlSeconds: 200, tags: ['orders'] });
    expect(await raw.pttl(index)).toBeGreaterThan(199_000);
  });
});

describe('tag invalidation', () => {
  it('drops only the entries that carry an invalidated tag', async () => {
    const cache = cacheOn('tags');
    await cache.set('a', 'A', { ttlSeconds: 30, tags: ['orders'] });
    await cache.set('b', 'B', { ttlSeconds: 30, tags: ['customers'] });
    await cache.set('c', 'C', { ttlSeconds: 30, tags: ['customers', 'orders'] });
    await cache.set('d', 'D', { ttlSeconds: 30 });
    expect(await cache.invalidateTags(['orders'])).toBe(2);
    expect(await cache.get('a')).toBeNull();
    expect(await cache.get('c')).toBeNull();
    expect((await cache.get('b'))?.toString()).toBe('B');
    expect((await cache.get('d'))?.toString()).toBe('D');
    expect(await cache.invalidateTags(['orders'])).toBe(0);
  });

  it('with verifyOnRead, still misses an entry whose tag index was lost (e.g. evicted), because its versions moved', async () => {
    const cache = cacheOn('lost-index', { verifyOnRead: true });
    await cache.set('kept', 'K', { ttlSeconds: 30, tags: ['customers'] });
    await cache.set('untagged', 'U', { ttlSeconds: 30 });
    expect((await cache.get('kept'))?.toString()).toBe('K');
    expect((await cache.get('untagged'))?.toString()).toBe('U');
    await cache.set('a', 'A', { ttlSeconds: 30, tags: ['orders'] });
    await raw.del(`${cache.namespace}:t:orders`);
    expect(await cache.invalidateTags(['orders'])).toBe(0);
    expect(await cache.get('a')).toBeNull();
    expect(await raw.exists(entryKey(cache.namespace, 'a'))).toBe(0);
  });
});

describe('the fill race', () => {
  it('refuses a set whose tag was invalidated between begin and set, and the next get misses', async () => {
    const filler = cacheOn('race');
    // The write happens in another process: another cache on the same namespace.
    const writer = createCache({ url, namespace: filler.namespace });
    try {
      const ticket = await filler.begin(['orders']);
      // ... the query runs and reads the old rows; meanwhile a write commits and invalidates:
      await writer.invalidateTags(['orders']);
      expect(await filler.set('q', 'old rows', { ttlSeconds: 30, tags: ['orders'], ticket })).toBe(false);
      expect(await filler.get('q')).toBeNull();
      // A fill that begins after the invalidation is stored.
      const fresh = await filler.begin(['orders']);
      expect(await filler.set('q', 'new rows', { ttlSeconds: 30, tags: ['orders'], ticket: fresh })).toBe(
        true,
      );
      expect((await filler.get('q'))?.toString()).toBe('new rows');
    } finally {
      await writer.close();
    }
  });

  it('stores a fill when only an unrelated tag was invalidated meanwhile', async () => {
    const cache = cacheOn('race-unrelated');
    const ticket = await cache.begin(['orders']);
    await cache.invalidateTags(['customers']);
    expect(await cache.set('q', 'rows', { ttlSeconds: 30, tags: ['orders'], ticket })).toBe(true);
  });

  it('refuses a fill that began before clear()', async () => {
    const cache = cacheOn('race-clear');
    const ticket = await cache.begin([]);
    await cache.clear();
    expect(await cache.set('q', 'rows', { ttlSeconds: 30, ticket })).toBe(false);
    expect(await cache.get('q')).toBeNull();
  });

  it('never serves a value older than the last completed invalidation under concurrent fills', async () => {
    const { stale, stats } = await raceStress(cacheOn('race-stress'));
    expect(stale).toEqual([]);
    // The race did happen: some fills were refused, and some were served.
    expect(stats.refused).toBeGreaterThan(0);
    expect(stats.hits).toBeGreaterThan(0);
  });

  it('rejects a ticket that does not cover every tag of the set', async () => {
    const cache = cacheOn('ticket-cover');
    const ticket = await cache.begin(['orders']);
    const error = await cache
      .set('q', 'rows', { ttlSeconds: 30, tags: ['orders', 'customers'], ticket })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheError);
    expect((error as CacheError).code).toBe('CACHE_INVALID_ARGUMENT');
  });
});

describe('clear', () => {
  it('drops this namespace only, leaving other namespaces and look-alike keys', async () => {
    const mine = cacheOn('clear-mine');
    const other = cacheOn('clear-other');
    const lookAlike = `${mine.namespace}-x:kept`;
    await raw.set(lookAlike, '1');
    try {
      await mine.set('a', 'A', { ttlSeconds: 30, tags: ['orders'] });
      await mine.set('b', 'B', { ttlSeconds: 30 });
      await other.set('a', 'A', { ttlSeconds: 30, tags: ['orders'] });
      expect(await mine.clear()).toBe(2);
      expect(await mine.get('a')).toBeNull();
      expect(await mine.get('b')).toBeNull();
      expect((await other.get('a'))?.toString()).toBe('A');
      expect(await raw.get(lookAlike)).toBe('1');
      expect(await raw.exists(`${mine.namespace}:t:orders`)).toBe(0);
      // A fill that begins after the clear is stored again.
      const ticket = await mine.begin(['orders']);
      expect(await mine.set('a', 'A2', { ttlSeconds: 30, tags: ['orders'], ticket })).toBe(true);
    } finally {
      await raw.del(lookAlike);
    }
  });
});

describe('stats', () => {
  it('counts hits, misses, sets, refusals, invalidations, keys and bytes per namespace', async () => {
    const cache = cacheOn('stats');
    const peer = createCache({ url, namespace: cache.namespace });
    try {
      await cache.set('a', 'abc', { ttlSeconds: 30, tags: ['orders'] });
      await cache.set('b', 'hello', { ttlSeconds: 30, tags: ['customers'] });
      await cache.get('a');
      await cache.get('a');
      await cache.get('missing');
      const ticket = await cache.begin(['orders']);
      await peer.invalidateTags(['orders']);
      await cache.set('c', 'xyz', { ttlSeconds: 30, tags: ['orders'], ticket });

      const stats = await cache.stats();
      expect(stats).toMatchObject({ hits: 2, misses: 1, sets: 2, refused: 1, invalidations: 1 });
      expect(stats.invalidatedEntries).toBe(1);
      expect(stats.keys).toBe(1);
      // Bytes stored: the value and its 3-byte format header.
      expect(stats.bytes).toBe(5 + 3);
      expect(stats.local).toEqual({
        hits: 2,
        misses: 1,
        sets: 2,
        refused: 1,
        tooLarge: 0,
        undecodable: 0,
        invalidations: 0,
        invalidatedEntries: 0,
        errors: 0,
      });
      // The peer shares the Redis counters but has its own local ones.
      const seen = await peer.stats();
      expect(seen.hits).toBe(2);
      expect(seen.local.invalidations).toBe(1);
      expect(seen.local.invalidatedEntries).toBe(1);
      expect(seen.local.hits).toBe(0);
    } finally {
      await peer.close();
    }
  });

  it('adds hits and misses to the shared counters in batches, without waiting for stats()', async () => {
    const cache = cacheOn('stats-batch');
    const peer = createCache({ url, namespace: cache.namespace });
    try {
      await cache.set('a', 'abc', { ttlSeconds: 30 });
      for (let i = 0; i < 60; i++) await cache.get('a');
      for (let i = 0; i < 40; i++) await cache.get('missing');
      // The hundredth get sends the batch; give it its round trip.
      await sleep(100);
      expect(await peer.stats()).toMatchObject({ hits: 60, misses: 40 });
    } finally {
      await peer.close();
    }
  });

  it('adds its last hits and misses to the shared counters on close()', async () => {
    const cache = createCache({ url, namespace: `aishell-test-cache-${run}-stats-close` });
    const peer = cacheOn('stats-close');
    await cache.get('a');
    await cache.get('b');
    await cache.close();
    expect(await peer.stats()).toMatchObject({ hits: 0, misses: 2 });
  });

  it('counts an entry with an empty value among the keys', async () => {
    const cache = cacheOn('stats-empty');
    await cache.set('empty', '', { ttlSeconds: 30 });
    expect((await cache.get('empty'))?.length).toBe(0);
    expect(await cache.stats()).toMatchObject({ keys: 1, bytes: 3, hits: 1 });
  });

  it('resets the namespace counters on clear()', async () => {
    const cache = cacheOn('stats-clear');
    await cache.set('a', 'abc', { ttlSeconds: 30 });
    await cache.get('a');
    await cache.clear();
    expect(await cache.stats()).toMatchObject({ hits: 0, misses: 0, sets: 0, keys: 0, bytes: 0 });
  });
});

describe('values at scale', () => {
  it('treats a value that does not decode as a miss, deletes it and counts it', async () => {
    const cache = cacheOn('undecodable');
    const big = Buffer.from(Array.from({ length: 12_000 }, (_, i) => `row ${i * 7919} `).join(''));
    const garbage: Record<string, Buffer> = {
      'old-format': Buffer.from('{"rows":[]}'),
      empty: Buffer.alloc(0),
      'unknown-codec': Buffer.from([0xac, 0x01, 0x7f, 1, 2, 3]),
      truncated: Buffer.alloc(0),
    };
    await cache.set('truncated', big, { ttlSeconds: 30, tags: ['t'] });
    const stored = await raw.hgetBuffer(entryKey(cache.namespace, 'truncated'), 'v');
    expect(stored?.length).toBeLessThan(big.length); // compressed above compressAboveBytes
    garbage.truncated = (stored as Buffer).subarray(0, Math.floor((stored as Buffer).length / 2));
    for (const [key, value] of Object.entries(garbage)) {
      await cache.set(key, 'fine', { ttlSeconds: 30, tags: ['t'] });
      await raw.hset(entryKey(cache.namespace, key), 'v', value);
      expect(await cache.get(key), key).toBeNull();
    }
    for (const key of Object.keys(garbage)) {
      // Deleted (fire and forget: give the UNLINK its round trip), so the next get is a plain miss.
      for (let i = 0; i < 50 && (await raw.exists(entryKey(cache.namespace, key))) === 1; i++)
        await sleep(10);
      expect(await raw.exists(entryKey(cache.namespace, key)), key).toBe(0);
    }
    expect(cache.localStats).toMatchObject({ undecodable: 4, misses: 4, hits: 0 });
    expect(await cache.stats()).toMatchObject({ undecodable: 4, misses: 4 });
  });

  it('compresses a value above compressAboveBytes with each codec and returns the same bytes', async () => {
    const value = Buffer.from(
      JSON.stringify(Array.from({ length: 2000 }, (_, id) => ({ id, v: `row ${id}` }))),
    );
    for (const compression of ['gzip', 'brotli', 'none'] as const) {
      const cache = cacheOn(`codec-${compression}`, { compression, compressAboveBytes: 1024 });
      await cache.set('k', value, { ttlSeconds: 30 });
      const stored = await raw.hgetBuffer(entryKey(cache.namespace, 'k'), 'v');
      if (compression === 'none') expect(stored?.length).toBe(value.length + 3);
      else expect(stored?.length).toBeLessThan(value.length / 3);
      expect(await cache.get('k')).toEqual(value);
      // Every cache reads every codec.
      const reader = cacheOn(`codec-${compression}`, { compression: 'none' });
      expect(await reader.get('k')).toEqual(value);
    }
  });

  it('compresses with brotli by default, and still reads a value gzip’d by an earlier default', async () => {
    const value = Buffer.from(
      JSON.stringify(Array.from({ length: 4000 }, (_, id) => ({ id, v: `row ${id}` }))),
    );
    const cache = cacheOn('codec-default');
    await cache.set('k', value, { ttlSeconds: 30 });
    const stored = await raw.hgetBuffer(entryKey(cache.namespace, 'k'), 'v');
    expect([...(stored ?? Buffer.alloc(0)).subarray(0, 3)]).toEqual([0xac, 0x01, 0x02]); // codec 2: brotli
    const older = cacheOn('codec-default', { compression: 'gzip' });
    await older.set('old', value, { ttlSeconds: 30 });
    const gzipped = await raw.hgetBuffer(entryKey(cache.namespace, 'old'), 'v');
    expect(gzipped?.[2]).toBe(0x01);
    expect(await cache.get('old')).toEqual(value);
  });

  it('does not store a value above maxValueBytes and counts it in the shared counters', async () => {
    const cache = cacheOn('too-large-counted', { maxValueBytes: 1000 });
    expect(await cache.set('big', Buffer.alloc(1001), { ttlSeconds: 30 })).toBe(false);
    expect(await cache.set('fits', Buffer.alloc(1000), { ttlSeconds: 30 })).toBe(true);
    expect(await cache.get('big')).toBeNull();
    expect(await cache.stats()).toMatchObject({ tooLarge: 1, sets: 1 });
  });

  it('drops a tag of thousands of entries in batches, all gone when invalidateTags returns', async () => {
    const cache = cacheOn('large-tag');
    const keys = Array.from({ length: 1700 }, (_, i) => `q${i}`);
    for (let i = 0; i < keys.length; i += 100)
      await Promise.all(
        keys.slice(i, i + 100).map((k) => cache.set(k, 'v', { ttlSeconds: 60, tags: ['big'] })),
      );
    await cache.set('other', 'v', { ttlSeconds: 60, tags: ['small'] });
    const ticket = await cache.begin(['big']);
    expect(await cache.invalidateTags(['big', 'small'])).toBe(keys.length + 1);
    const left = await Promise.all(keys.map((k) => raw.exists(entryKey(cache.namespace, k))));
    expect(left.filter((n) => n === 1)).toHaveLength(0);
    expect(await raw.keys(`${cache.namespace}:t:*`)).toEqual([]);
    // The versions moved in the first script: a fill that began before is refused.
    expect(await cache.set('q0', 'stale', { ttlSeconds: 60, tags: ['big'], ticket })).toBe(false);
    expect(await cache.stats()).toMatchObject({ invalidatedEntries: keys.length + 1, keys: 0 });
  });
});

describe('tagStats', () => {
  it('counts the live entries of each tag from the tag indexes, and leaves out invalidated tags', async () => {
    const cache = cacheOn('tag-stats');
    expect(await cache.tagStats()).toEqual([]);
    await cache.set('a', 'v', { ttlSeconds: 30, tags: ['orders', 'customers'] });
    await cache.set('b', 'vv', { ttlSeconds: 30, tags: ['orders'] });
    await cache.set('c', 'v', { ttlSeconds: 30, tags: ['products'] });
    // Bytes as stored: the 3-byte header and the value.
    expect(await cache.tagStats()).toEqual([
      { tag: 'customers', entries: 1, bytes: 4 },
      { tag: 'orders', entries: 2, bytes: 9 },
      { tag: 'products', entries: 1, bytes: 4 },
    ]);
    await cache.invalidateTags(['orders']);
    // 'a' went with orders; customers' index still names it until its expiry: an upper bound, never a scan.
    // Its bytes are those still stored.
    expect(await cache.tagStats()).toEqual([
      { tag: 'customers', entries: 1, bytes: 0 },
      { tag: 'products', entries: 1, bytes: 4 },
    ]);
    await cache.invalidateTags(['customers', 'products']);
    expect(await cache.tagStats()).toEqual([]);
  });

  it('estimates the bytes of a tag above 32 entries from a sample of its index', async () => {
    const cache = cacheOn('tag-stats-large');
    // 400 entries of 97 + 3 and 400 of 197 + 3 bytes: 120,000 bytes in all.
    await Promise.all(
      Array.from({ length: 800 }, (_, i) =>
        cache.set(`k${i}`, 'x'.repeat(i % 2 === 0 ? 97 : 197), { ttlSeconds: 30, tags: ['big'] }),
      ),
    );
    const [big] = await cache.tagStats();
    expect(big?.entries).toBe(800);
    // 32 members drawn: the mean of 100 and 200 byte values lies between them, never outside.
    expect(big?.bytes).toBeGreaterThanOrEqual(800 * 100);
    expect(big?.bytes).toBeLessThanOrEqual(800 * 200);
  });
});
