// The "cache at scale" half of `pnpm bench cache` (issue 16): hits through Session.run, invalidation beside a
// million unrelated entries, the slowest Redis command, the SCAN approach for comparison, and the codecs.
// Every figure is a ratio against a baseline measured in the same run, or a time beside one.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { createCache } from '@aishell/cache';
import { seedDemo } from '@aishell/demo';
import { Session } from '@aishell/engine';
import { Redis } from 'ioredis';
import pg from 'pg';
import { measureCodecs } from './codecs.js';

export interface ScaleOptions {
  readonly redisUrl: string;
  readonly pgUrl: string;
  /** Unrelated entries cached while a table is invalidated (the issue's 1,000,000). */
  readonly unrelated: number;
  /** Hits measured per figure. */
  readonly hits: number;
  readonly log: (line: string) => void;
  /** Which parts to run (all by default): hits, codecs, invalidate. */
  readonly parts?: ReadonlySet<string>;
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits));

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

/** Times `call` `n` times one after another; returns the samples in milliseconds. */
async function samples(n: number, call: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call();
    out.push(performance.now() - t);
  }
  return out;
}

/** Runs `a` and `b` in alternating blocks, so that load on the machine falls on both alike. */
async function alternate(
  n: number,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
): Promise<[number[], number[]]> {
  const as: number[] = [];
  const bs: number[] = [];
  const block = Math.max(1, Math.floor(n / 10));
  for (let done = 0; done < n; done += block) {
    as.push(...(await samples(block, a)));
    bs.push(...(await samples(block, b)));
  }
  return [as, bs];
}

/**
 * Fills `count` entries shaped as the cache stores them (`<ns>:e:u<i>` hashes, in 100 other tags' indexes)
 * with a Lua loop, 5,000 a script, so that a million take seconds and no script holds Redis for long.
 */
const FILL_LUA = `
local ns, from, to, ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local t = redis.call('TIME')
local expiry = tonumber(t[1]) * 1000 + ttl
for i = from, to - 1 do
  local key = ns .. ':e:u' .. i
  redis.call('HSET', key, 'v', ARGV[5], 'g', '0,0', 'k', '["t:other' .. (i % 100) .. '"]')
  redis.call('PEXPIRE', key, ttl)
  redis.call('ZADD', ns .. ':t:other' .. (i % 100), expiry, key)
  redis.call('SET', ns .. ':x:other:' .. i, '1', 'PX', ttl)
end
return to - from
`;

const DROP_LUA = `
local ns, from, to = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
for i = from, to - 1 do
  redis.call('UNLINK', ns .. ':e:u' .. i, ns .. ':x:other:' .. i)
end
return to - from
`;

async function fillUnrelated(raw: Redis, ns: string, from: number, to: number): Promise<void> {
  const value = Buffer.concat([Buffer.from([0xac, 0x01, 0x00]), Buffer.from('{"rows":[]}')]);
  for (let i = from; i < to; i += 5000) {
    await raw.eval(FILL_LUA, 0, ns, i, Math.min(to, i + 5000), 3_600_000, value);
  }
}

async function dropUnrelated(raw: Redis, ns: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 5000) await raw.eval(DROP_LUA, 0, ns, i, Math.min(count, i + 5000));
  for (let i = 0; i < 100; i++) await raw.unlink(`${ns}:t:other${i}`);
}

/** The invalidation of a 100-entry table (ours) and its SCAN MATCH equivalent (the original product's). */
async function invalidationTimes(
  url: string,
  ns: string,
  raw: Redis,
  rounds: number,
): Promise<{ ours: number; scan: number }> {
  const cache = createCache({ url, namespace: ns });
  const ours: number[] = [];
  const scan: number[] = [];
  try {
    // Warm-up: the connection opens and the scripts load before anything is timed.
    await cache.set('warm-up', 'v', { ttlSeconds: 600, tags: ['target'] });
    await cache.invalidateTags(['target']);
    for (let r = 0; r < rounds; r++) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          Promise.all([
            cache.set(`target ${r} ${i}`, 'v', { ttlSeconds: 600, tags: ['target'] }),
            raw.set(`${ns}:x:target:${i}`, '1', 'EX', 600),
          ]),
        ),
      );
      let t = performance.now();
      const dropped = await cache.invalidateTags(['target']);
      ours.push(performance.now() - t);
      if (dropped !== 100) throw new Error(`invalidateTags dropped ${dropped}, not 100`);
      // The SCAN approach: walk every key of the database for the table's, UNLINK what matches.
      t = performance.now();
      let cursor = '0';
      let found = 0;
      do {
        const [next, keys] = await raw.scan(cursor, 'MATCH', `${ns}:x:target:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) found += await raw.unlink(...keys);
      } while (cursor !== '0');
      scan.push(performance.now() - t);
      if (found !== 100) throw new Error(`SCAN found ${found}, not 100`);
    }
  } finally {
    await cache.close();
  }
  return { ours: percentile(ours, 0.5), scan: percentile(scan, 0.5) };
}

/** The slowest command of namespace `ns` in SLOWLOG while `during` runs (threshold 0, restored afterwards). */
async function slowestCommand(
  raw: Redis,
  ns: string,
  during: () => Promise<void>,
): Promise<{ max: number; p99: number; p50: number; count: number }> {
  const [, threshold] = (await raw.config('GET', 'slowlog-log-slower-than')) as [string, string];
  const [, maxLen] = (await raw.config('GET', 'slowlog-max-len')) as [string, string];
  const before = (await raw.call('SLOWLOG', 'GET', '1')) as [number, ...unknown[]][];
  const lastId = before[0]?.[0] ?? -1;
  let micros: number[] = [];
  try {
    await raw.config('SET', 'slowlog-max-len', '100000');
    await raw.config('SET', 'slowlog-log-slower-than', '0');
    await during();
  } finally {
    await raw.config('SET', 'slowlog-log-slower-than', threshold);
    const entries = (await raw.call('SLOWLOG', 'GET', '100000')) as [number, number, number, string[]][];
    await raw.config('SET', 'slowlog-max-len', maxLen);
    const ours = entries.filter(
      // Others share this Redis: only this namespace's commands count (a script names its keys in its args).
      ([id, , , args]) => id > lastId && args.some((a) => String(a).startsWith(`${ns}:`)),
    );
    micros = ours.map(([, , us]) => us);
    if (process.env.BENCH_DEBUG)
      console.error(
        ours
          .sort((a, b) => b[2] - a[2])
          .slice(0, 5)
          .map(([, , micros, args]) => `${micros} us ${args.slice(0, 4).join(' ')}`),
      );
  }
  return {
    max: Math.max(0, ...micros) / 1000,
    p99: percentile(micros, 0.99) / 1000,
    p50: percentile(micros, 0.5) / 1000,
    count: micros.length,
  };
}

export async function measureScale(options: ScaleOptions): Promise<Record<string, number>> {
  const { log } = options;
  const figures: Record<string, number> = {};
  const suffix = randomBytes(4).toString('hex');
  const ns = `aishell-bench-scale-${suffix}`;
  const schema = `bench_cache_${suffix}`;
  const raw = new Redis(options.redisUrl);
  const client = new pg.Client({ connectionString: options.pgUrl });
  await client.connect();
  const session = await Session.open({
    connection: options.pgUrl,
    config: { connections: {} },
    env: { AISHELL_CACHE_MAX_ENTRY_BYTES: String(64 * 1024 * 1024) },
    redis: options.redisUrl,
    cacheNamespace: ns,
    history: false,
  });
  try {
    // The demo shop in a schema of its own: real result sets for the hits and the codecs.
    await client.query(`create schema ${schema}`);
    await client.query(`set search_path to ${schema}`);
    const seeded = await seedDemo((sql) => client.query(sql));
    log(`demo seeded in ${schema}: ${seeded.rows.orders} orders`);

    const part = (name: string): boolean => options.parts === undefined || options.parts.has(name);
    // 1. Hits through Session.run against a raw GET of the same stored bytes.
    for (const rows of part('hits') ? [100, 10_000] : []) {
      const sql = `select * from ${schema}.orders order by id limit ${rows}`;
      const first = (await session.run(sql)).results[0];
      if (first?.cached !== false || first.rowCount !== rows) throw new Error('the first run was not a miss');
      const second = (await session.run(sql)).results[0];
      if (second?.cached !== true) throw new Error('the second run was not a hit');
      await using lister = createCache({ url: options.redisUrl, namespace: ns });
      let stored: Buffer | null = null;
      let storedKey = '';
      for await (const entry of lister.entries()) {
        const value = await raw.hgetBuffer(entry.key, 'v');
        if (value && (stored === null || value.length > stored.length)) {
          stored = value;
          storedKey = entry.key;
        }
      }
      if (!stored) throw new Error('no stored entry');
      const rawKey = `${ns}:raw:${rows}`;
      await raw.set(rawKey, stored, 'EX', 600);
      const n = rows === 100 ? options.hits : Math.max(50, Math.floor(options.hits / 20));
      await alternate(
        Math.min(n, 200),
        () => session.run(sql),
        () => raw.getBuffer(rawKey),
      ); // warm-up
      const [hit, get] = await alternate(
        n,
        () => session.run(sql),
        () => raw.getBuffer(rawKey),
      );
      const hitP50 = percentile(hit, 0.5);
      const getP50 = percentile(get, 0.5);
      if (rows === 100) {
        const [pgRun] = await alternate(
          Math.max(50, Math.floor(n / 10)),
          () => client.query(sql),
          () => session.run(sql),
        );
        figures.storedBytes100 = stored.length;
        figures.rawGetP50Ms100 = round(getP50, 4);
        figures.hitP50Ms100 = round(hitP50, 4);
        figures.hitP99Ms100 = round(percentile(hit, 0.99), 4);
        figures.hitP50VsRawGet100 = round(hitP50 / getP50);
        figures.postgresP50Ms100 = round(percentile(pgRun, 0.5), 4);
        figures.speedupVsPostgres100 = round(percentile(pgRun, 0.5) / hitP50);
        // The part of the ratio that is Redis's: the raw HGET of the entry a hit reads, against the raw GET.
        const [hget, get2] = await alternate(
          n,
          () => raw.hgetBuffer(storedKey, 'v'),
          () => raw.getBuffer(rawKey),
        );
        figures.rawHgetVsGet100 = round(percentile(hget, 0.5) / percentile(get2, 0.5));
        log(
          `100-row hit through Session.run: p50 ${round(hitP50, 3)} ms, p99 ${round(percentile(hit, 0.99), 3)} ms; ` +
            `raw GET of the same ${stored.length} bytes p50 ${round(getP50, 3)} ms -> ratio ${figures.hitP50VsRawGet100} (goal <= 1.5); ` +
            `the query on PostgreSQL p50 ${figures.postgresP50Ms100} ms -> speedup ${figures.speedupVsPostgres100}; ` +
            `a raw HGET of the entry vs the raw GET ${figures.rawHgetVsGet100}`,
        );
      } else {
        figures.storedBytes10k = stored.length;
        figures.hitP50Ms10k = round(hitP50, 3);
        figures.rawGetP50Ms10k = round(getP50, 3);
        log(
          `10,000-row hit: p50 ${figures.hitP50Ms10k} ms (raw GET of its ${stored.length} stored bytes ${figures.rawGetP50Ms10k} ms)`,
        );
      }
    }

    if (part('codecs')) {
      // 2. Codecs on the demo's tables as JSON (each table's first 2,000 rows, as the cache would store them).
      const tables = ['customers', 'orders', 'order_items', 'products', 'tickets'];
      const samples: Buffer[] = [];
      for (const table of tables) {
        const exists = await client.query(`select to_regclass($1) as r`, [`${schema}.${table}`]);
        if (!exists.rows[0]?.r) continue;
        const { rows, fields } = await client.query(`select * from ${schema}.${table} limit 2000`);
        const shape = fields.map((f) => ({ name: f.name }));
        samples.push(
          Buffer.from(JSON.stringify({ command: 'SELECT', rowCount: rows.length, fields: shape, rows })),
        );
      }
      const rawBytes = samples.reduce((n, b) => n + b.length, 0);
      for (const [name, c] of Object.entries(await measureCodecs(samples))) {
        const key = name.replace('-', '');
        figures[`ratio_${key}`] = round(c.ratio, 2);
        figures[`encodeMBps_${key}`] = round(c.encodeMBps, 1);
        figures[`decodeMBps_${key}`] = round(c.decodeMBps, 1);
        log(
          `${name.padEnd(8)}: ratio ${figures[`ratio_${key}`]}, encode ${figures[`encodeMBps_${key}`]} MB/s, decode ${figures[`decodeMBps_${key}`]} MB/s (${samples.length} demo tables, ${rawBytes} bytes of JSON)`,
        );
      }
    }
    if (part('invalidate')) {
      // 3. Invalidation beside 10,000 and then 1,000,000 unrelated entries.
      const small = Math.min(10_000, options.unrelated);
      let t = performance.now();
      await fillUnrelated(raw, ns, 0, small);
      const atSmall = await invalidationTimes(options.redisUrl, ns, raw, 9);
      await fillUnrelated(raw, ns, small, options.unrelated);
      log(`${options.unrelated} unrelated entries filled in ${round((performance.now() - t) / 1000, 1)} s`);
      const atLarge = await invalidationTimes(options.redisUrl, ns, raw, 9);
      figures.unrelated = options.unrelated;
      figures.invalidateMs10k = round(atSmall.ours, 3);
      figures.invalidateMs1M = round(atLarge.ours, 3);
      figures.invalidateRatio1M = round(atLarge.ours / atSmall.ours);
      figures.scanInvalidateMs10k = round(atSmall.scan, 1);
      figures.scanInvalidateMs1M = round(atLarge.scan, 1);
      figures.scanInvalidateRatio1M = round(atLarge.scan / atSmall.scan);
      log(
        `invalidating a 100-entry table: ${figures.invalidateMs10k} ms beside 10,000 entries, ${figures.invalidateMs1M} ms beside ${options.unrelated} -> ratio ${figures.invalidateRatio1M} (goal <= 1.5); ` +
          `by SCAN MATCH: ${figures.scanInvalidateMs10k} ms, ${figures.scanInvalidateMs1M} ms -> ratio ${figures.scanInvalidateRatio1M}`,
      );

      // 4. The slowest command while a table of 100,000 entries is invalidated (and a 100-entry one).
      await using big = createCache({ url: options.redisUrl, namespace: ns });
      for (let i = 0; i < 100_000; i += 1000) {
        await Promise.all(
          Array.from({ length: 1000 }, (_, j) =>
            big.set(`big ${i + j}`, 'v', { ttlSeconds: 600, tags: ['big', 'target'] }),
          ),
        );
      }
      let dropped = 0;
      t = performance.now();
      const slow = await slowestCommand(raw, ns, async () => {
        dropped = await big.invalidateTags(['big']);
      });
      figures.invalidate100kMs = round(performance.now() - t, 1);
      figures.maxRedisCommandMs = round(slow.max, 3);
      figures.p99RedisCommandMs = round(slow.p99, 3);
      figures.p50RedisCommandMs = round(slow.p50, 3);
      figures.redisCommands100k = slow.count;
      figures.loadAverage1m = round(os.loadavg()[0] ?? 0, 1);
      if (dropped !== 100_000) throw new Error(`the 100,000-entry table dropped ${dropped}`);
      log(
        `invalidating a 100,000-entry table: ${figures.invalidate100kMs} ms in all, ${slow.count} commands; slowest ${figures.maxRedisCommandMs} ms (goal <= 1 ms), p99 ${figures.p99RedisCommandMs} ms, p50 ${figures.p50RedisCommandMs} ms (SLOWLOG at threshold 0, restored); load average ${figures.loadAverage1m} on ${os.cpus().length} CPUs`,
      );
      await big.invalidateTags(['target']);
      await dropUnrelated(raw, ns, options.unrelated);
    }
  } finally {
    await session.close();
    await using cleaner = createCache({ url: options.redisUrl, namespace: ns });
    await cleaner.clear();
    await raw.del(`${ns}:v`);
    raw.disconnect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  }
  return figures;
}
