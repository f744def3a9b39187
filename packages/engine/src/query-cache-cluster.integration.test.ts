import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CacheError } from '@aishell/cache';
import { type RedisCluster, redisClusterAvailable, startRedisCluster } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from './session.js';

// The query cache through Session.run on a real three-master Redis Cluster (redis+cluster://), from the
// environment as a user would set it: hits, invalidation by a write, and fail-open when a master stops.
const available = redisClusterAvailable();
const suffix = Math.random().toString(36).slice(2, 8);
const namespace = `aishell-test-engine-cluster-${suffix}`;
const t = `qcc_${suffix}`;
let cluster: RedisCluster | undefined;
const sqlite = `sqlite://${path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-qcc-')), 'a.db')}`;
const opened: Session[] = [];
const errors: CacheError[] = [];

async function open(): Promise<Session> {
  const session = await Session.open({
    connection: sqlite,
    config: { connections: {} },
    env: { AISHELL_REDIS_URL: cluster?.url ?? '', AISHELL_CACHE_NAMESPACE: namespace },
    history: false,
    onCacheError: (error) => errors.push(error),
  });
  opened.push(session);
  return session;
}

beforeAll(async () => {
  if (!available && process.env.CI !== 'true') return;
  cluster = await startRedisCluster(3);
  const s = await open();
  await s.run(`create table ${t} (id integer primary key, v text)`);
  await s.run(`insert into ${t} values (1, 'a'), (2, 'b')`);
}, 60_000);

afterAll(async () => {
  for (const s of opened) await s.close();
  await cluster?.close();
});

describe.skipIf(!available && process.env.CI !== 'true')('the query cache on Redis Cluster', () => {
  it('serves the second identical read from the cluster and drops it after a write', async () => {
    const s = await open();
    expect(s.cacheMode).toBe('optional');
    const sql = `select v from ${t} where id = 2`;
    expect((await s.run(sql)).results[0]?.cached).toBe(false);
    expect((await s.run(sql)).results[0]).toMatchObject({ cached: true, rows: [{ v: 'b' }] });
    await s.run(`update ${t} set v = 'changed' where id = 2`, { confirmed: true });
    expect((await s.run(sql)).results[0]).toMatchObject({ cached: false, rows: [{ v: 'changed' }] });
    expect(errors).toEqual([]);
  });

  it('answers every query when the master of its slot stops mid-run (fail-open), and reports it', async () => {
    const s = await open();
    const sql = `select v from ${t} where id = 1`;
    const rows: unknown[] = [];
    for (let i = 0; i < 20; i++) {
      if (i === 5)
        await (cluster as RedisCluster).stop(await (cluster as RedisCluster).masterOf(`{${namespace}}`));
      const { results } = await s.run(sql);
      rows.push(results[0]?.rows);
      if (i > 5) expect(results[0]?.cached).toBe(false);
    }
    expect(rows.every((r) => JSON.stringify(r) === JSON.stringify([{ v: 'a' }]))).toBe(true);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.code === 'CACHE_UNAVAILABLE')).toBe(true);
    // A write still succeeds; its invalidation failure is reported, not thrown.
    await s.run(`update ${t} set v = 'a' where id = 1`, { confirmed: true });
  });
});
