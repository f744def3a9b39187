import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type RedisCluster, redisClusterAvailable, startRedisCluster } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from './run-cli.js';

// `--redis redis+cluster://...` on a real three-master Redis Cluster of the machine's redis-server.
const available = redisClusterAvailable();
const suffix = Math.random().toString(36).slice(2, 8);
const table = `cli_cluster_${suffix}`;
let cluster: RedisCluster | undefined;
let env: Record<string, string>;
let db: string;

function cli(args: string[]) {
  return runCli(args, { env });
}

beforeAll(async () => {
  if (!available && process.env.CI !== 'true') return;
  cluster = await startRedisCluster(3);
  env = { ...tempHome(), AISHELL_CACHE_NAMESPACE: `aishell-test-cli-cluster-${suffix}` };
  db = `sqlite://${path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-cli-cluster-')), 'c.db')}`;
  for (const sql of [
    `create table ${table} (id integer primary key, v text)`,
    `insert into ${table} values (1, 'a')`,
  ]) {
    const r = await cli(['query', sql, '-c', db]);
    expect(r.code, r.stderr).toBe(0);
  }
}, 60_000);

afterAll(async () => {
  await cluster?.close();
});

describe.skipIf(!available && process.env.CI !== 'true')('aishell on Redis Cluster', () => {
  it('serves the second query from the cluster given by --redis redis+cluster://, and counts it', async () => {
    const redis = (cluster as RedisCluster).url;
    const sql = `select id, v from ${table}`;
    const first = await cli(['query', sql, '-c', db, '--redis', redis, '--json']);
    const second = await cli(['query', sql, '-c', db, '--redis', redis, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ cached: false, rows: [{ id: 1, v: 'a' }] });
    expect(JSON.parse(second.stdout)).toMatchObject({ cached: true, rows: [{ id: 1, v: 'a' }] });
    const stats = await cli(['cache', 'stats', '--json', '--redis', redis]);
    expect(stats.code, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({
      keys: 1,
      hits: 1,
      misses: 1,
      tables: [{ table, entries: 1 }],
    });
    const invalidated = await cli(['cache', 'invalidate', table, '--redis', redis]);
    expect(invalidated.code, invalidated.stderr).toBe(0);
    const third = await cli(['query', sql, '-c', db, '--redis', redis, '--json']);
    expect(JSON.parse(third.stdout)).toMatchObject({ cached: false });
  });
});
