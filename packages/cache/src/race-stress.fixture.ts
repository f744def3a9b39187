import { setTimeout as sleep } from 'node:timers/promises';
import type { Cache, CacheStats } from './index.js';

/**
 * Four concurrent fillers against a writer that invalidates at least 150 times (until both outcomes of the
 * race were seen): returns every value a get served that was older than the last completed invalidation
 * (there must be none), and the namespace's counters. Shared by the single-Redis and the Cluster tests.
 */
export async function raceStress(cache: Cache): Promise<{ stale: string[]; stats: CacheStats }> {
  let database = 0; // the "table": its content is a version number
  let committed = 0; // the newest version whose invalidation has completed
  let stop = false;
  const stale: string[] = [];

  const filler = async (): Promise<void> => {
    while (!stop) {
      const floor = committed;
      const hit = await cache.get('q');
      if (hit !== null) {
        if (Number(hit.toString()) < floor) stale.push(`${hit.toString()} < ${floor}`);
        continue;
      }
      const ticket = await cache.begin(['t']);
      const rows = String(database); // the query
      await sleep(Math.random() * 3); // the query takes a while; writes may commit now
      await cache.set('q', rows, { ttlSeconds: 30, tags: ['t'], ticket });
    }
  };
  const writer = async (): Promise<void> => {
    // At least 150 writes, and on until both outcomes of the race were seen (timing varies with load).
    for (let i = 0; i < 3000; i++) {
      database++;
      const version = database;
      await cache.invalidateTags(['t']);
      committed = version;
      // Mostly short gaps (fills get refused), now and then a long one (fills land and get served).
      await sleep(i % 10 === 9 ? 15 : Math.random() * 2);
      const { refused, hits } = cache.localStats;
      if (i >= 150 && refused > 0 && hits > 0) break;
    }
    stop = true;
  };
  await Promise.all([writer(), filler(), filler(), filler(), filler()]);
  return { stale, stats: await cache.stats() };
}
