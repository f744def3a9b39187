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
    // Entries and bytes per table from the tag indexes (bounded by the number of tables, never a scan).
    const tables = (await cache.tagStats()).map(({ tag, entries, bytes }) => ({
      table: tag,
      entries,
      bytes,
    }));
    const lookups = stats.hits + stats.misses;
    return this.present(
      {
        ...stats,
        hitRate: lookups === 0 ? null : Math.round((stats.hits / lookups) * 10_000) / 10_000,
        tables,
      },
      statsText,
    );
  }
}

type StatsResult = Awaited<ReturnType<Awaited<ReturnType<typeof openCache>>['stats']>>;

/** `cache stats --json`: the shared counters, entries and bytes now, and the hit rate (null before any lookup). */
export type CacheStatsDocument = Omit<StatsResult, 'local'> & {
  readonly hitRate: number | null;
  /**
   * Entries (an upper bound) and bytes (exact up to 32 entries, else estimated from a sample) per table
   * (cache tag): see Cache.tagStats. Absent where a caller has none.
   */
  readonly tables?: readonly { readonly table: string; readonly entries: number; readonly bytes?: number }[];
};

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
  for (const { table, entries, bytes } of doc.tables ?? [])
    lines.push([`  ${table}`, bytes === undefined ? entries : `${entries} (${bytes} bytes)`]);
  return lines.map(([k, v]) => `${String(k).padEnd(20)} ${v}\n`).join('');
}
