// pnpm bench cache [--json] [--redis <url>] [--ops 8000] [--bytes 1024] [--rounds 15]
//
// Throughput of cache.get on a hit against a raw ioredis GET of the same bytes, measured in the same run,
// at concurrency 1 and 32 (concurrent calls share one connection, as the engine's would):
//   cacheGetOpsC1 / rawGetOpsC1    -> hitRatioC1   (goal >= 0.9)
//   cacheGetOpsC32 / rawGetOpsC32  -> hitRatioC32  (goal >= 0.9)
//   verifiedGetOpsC1, verifiedGetOpsC32 -> verifiedHitRatioC1, verifiedHitRatioC32 (verifyOnRead: true)
// A default cache hit is one HGET (the key's sha256 is remembered; hits are counted locally and added to
// Redis in batches); a verified hit is one EVALSHA that also checks the entry's tag versions. The baseline
// is one GET on a plain ioredis client.
// Rounds alternate raw and cache; each ops figure is the median of the rounds, each ratio the median of
// the rounds' own ratios (raw and cache of the same round side by side).
// Human-readable lines first; the last line is one JSON object of figures.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createCache } from '@aishell/cache';
import { pgUrl, redisUrl } from '@aishell/testing';
import { Redis } from 'ioredis';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    redis: { type: 'string' },
    ops: { type: 'string', default: '8000' },
    bytes: { type: 'string', default: '1024' },
    rounds: { type: 'string', default: '15' },
    unrelated: { type: 'string', default: '1000000' },
    hits: { type: 'string', default: '2000' },
    'skip-scale': { type: 'boolean', default: false },
    // Comma-separated parts: throughput, hits, codecs, invalidate (all by default).
    parts: { type: 'string' },
  },
});
const OPS = Number(values.ops);
const BYTES = Number(values.bytes);
const ROUNDS = Number(values.rounds);
const parts = values.parts ? new Set(values.parts.split(',')) : undefined;
const url = values.redis ?? process.env.AISHELL_REDIS_URL ?? process.env.REDIS_URL ?? (await redisUrl());

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Operations per second of `ops` calls of `call`, spread over `concurrency` workers. */
async function opsPerSecond(concurrency: number, ops: number, call: () => Promise<unknown>): Promise<number> {
  const perWorker = Math.ceil(ops / concurrency);
  const worker = async (): Promise<void> => {
    for (let i = 0; i < perWorker; i++) await call();
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (perWorker * concurrency) / ((performance.now() - start) / 1000);
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits));

const namespace = `aishell-bench-cache-${randomBytes(4).toString('hex')}`;
const cache = createCache({ url, namespace });
const verified = createCache({ url, namespace, verifyOnRead: true });
const raw = new Redis(url);
const rawKey = `${namespace}:raw`;
try {
  const value = randomBytes(BYTES);
  const key = 'postgres://bench|select * from orders where customer_id = $1|[42]';
  await cache.set(key, value, { ttlSeconds: 600, tags: ['orders', 'customers'] });
  await raw.set(rawKey, value, 'EX', 600);
  const hit = await cache.get(key);
  const verifiedHit = await verified.get(key);
  const baseline = await raw.getBuffer(rawKey);
  if (!hit?.equals(value) || !verifiedHit?.equals(value) || !baseline?.equals(value))
    throw new Error('the cached and raw values differ');

  const cacheGet = () => cache.get(key);
  const verifiedGet = () => verified.get(key);
  const rawGet = () => raw.getBuffer(rawKey);
  // Warm up every path (JIT, script cache) before measuring.
  await opsPerSecond(8, 5000, cacheGet);
  await opsPerSecond(8, 5000, verifiedGet);
  await opsPerSecond(8, 5000, rawGet);

  const figures: Record<string, number> = { valueBytes: BYTES, ops: OPS, rounds: ROUNDS };
  for (const concurrency of parts === undefined || parts.has('throughput') ? [1, 32] : []) {
    const cacheSamples: number[] = [];
    const verifiedSamples: number[] = [];
    const rawSamples: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      rawSamples.push(await opsPerSecond(concurrency, OPS, rawGet));
      cacheSamples.push(await opsPerSecond(concurrency, OPS, cacheGet));
      verifiedSamples.push(await opsPerSecond(concurrency, OPS, verifiedGet));
    }
    const cacheOps = median(cacheSamples);
    const verifiedOps = median(verifiedSamples);
    const rawOps = median(rawSamples);
    // The ratio of each round's neighbours, then the median of those: a burst of other work on a shared
    // machine slows one round's pair together instead of one side of the medians above.
    const hitRatio = median(cacheSamples.map((c, r) => c / (rawSamples[r] as number)));
    const verifiedRatio = median(verifiedSamples.map((v, r) => v / (rawSamples[r] as number)));
    figures[`cacheGetOpsC${concurrency}`] = Math.round(cacheOps);
    figures[`verifiedGetOpsC${concurrency}`] = Math.round(verifiedOps);
    figures[`rawGetOpsC${concurrency}`] = Math.round(rawOps);
    figures[`hitRatioC${concurrency}`] = round(hitRatio);
    figures[`verifiedHitRatioC${concurrency}`] = round(verifiedRatio);
    console.log(
      `concurrency ${String(concurrency).padStart(2)}: raw GET ${Math.round(rawOps)} ops/s; ` +
        `cache.get hit ${Math.round(cacheOps)} ops/s, ratio ${round(hitRatio)} (goal >= 0.9); ` +
        `verifyOnRead ${Math.round(verifiedOps)} ops/s, ratio ${round(verifiedRatio)} (median of ${ROUNDS} rounds' ratios)`,
    );
  }
  if (!values['skip-scale'] && (parts === undefined || [...parts].some((p) => p !== 'throughput'))) {
    const { measureScale } = await import('./cache/scale.js');
    Object.assign(
      figures,
      await measureScale({
        redisUrl: url,
        pgUrl: await pgUrl(),
        unrelated: Number(values.unrelated),
        hits: Number(values.hits),
        log: (line) => console.log(line),
        ...(parts ? { parts } : {}),
      }),
    );
  }
  console.log(JSON.stringify(figures));
} finally {
  // Close first (each adds its last hit counts to Redis), then drop the namespace.
  await cache.close();
  await verified.close();
  await using cleaner = createCache({ url, namespace });
  await cleaner.clear();
  await raw.del(rawKey, `${namespace}:v`);
  raw.disconnect();
}
