import { openCache } from '@aishell/engine';
import { BaseCommand } from '../../base-command.js';
import { redisFlag } from '../../flags.js';

export default class CacheStats extends BaseCommand {
  static override summary = "Show the query cache's counters, entries and bytes.";
  static override description =
    'Counters are shared by every aishell that uses the same Redis and namespace (hits, misses, fills, ' +
    'fills refused because a write overtook them, invalidations); entries and bytes are counted now.';
  static override examples = [
    { description: 'Counters for people', command: '<%= config.bin %> cache stats' },
    {
      description: 'As JSON, on a given Redis',
      command: '<%= config.bin %> cache stats --json --redis redis://127.0.0.1:6379',
    },
  ];
  static override flags = { redis: redisFlag };

  async run(): Promise<CacheStatsDocument> {
    const { flags } = await this.parse(CacheStats);
    await using cache = await openCache(flags.redis ? { redis: flags.redis } : {});
    const { local: _local, ...stats } = await cache.stats();
    const lookups = stats.hits + stats.misses;
    return this.present(
      { ...stats, hitRate: lookups === 0 ? null : Math.round((stats.hits / lookups) * 10_000) / 10_000 },
      statsText,
    );
  }
}

type StatsResult = Awaited<ReturnType<Awaited<ReturnType<typeof openCache>>['stats']>>;

/** `cache stats --json`: the shared counters, entries and bytes now, and the hit rate (null before any lookup). */
export type CacheStatsDocument = Omit<StatsResult, 'local'> & { readonly hitRate: number | null };

export function statsText(doc: CacheStatsDocument): string {
  const lines = [
    ['namespace', doc.namespace],
    ['entries', doc.keys],
    ['bytes', doc.bytes],
    ['hits', doc.hits],
    ['misses', doc.misses],
    ['hit rate', doc.hitRate === null ? '-' : `${(doc.hitRate * 100).toFixed(1)} %`],
    ['fills', doc.sets],
    ['fills refused', doc.refused],
    ['invalidations', doc.invalidations],
    ['entries invalidated', doc.invalidatedEntries],
    ['too large to cache', doc.tooLarge],
    ['undecodable dropped', doc.undecodable],
  ];
  return lines.map(([k, v]) => `${String(k).padEnd(20)} ${v}\n`).join('');
}
