import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCache } from '@aishell/engine';
import { redisUrl } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, tempHome } from './run-cli.js';

const suffix = Math.random().toString(36).slice(2, 8);
const table = `cli_cache_${suffix}`;
let env: Record<string, string>;
let db: string;
let redis: string;

/** Run aishell with this file's Redis namespace (AISHELL_CACHE_NAMESPACE) and temporary XDG folders. */
function cli(args: string[], extra: Record<string, string> = {}) {
  return runCli(args, { env: { ...env, ...extra } });
}

beforeAll(async () => {
  redis = await redisUrl();
  env = {
    ...tempHome(),
    AISHELL_CACHE_NAMESPACE: `aishell-test-cli-cache-${suffix}`,
    AISHELL_REDIS_URL: redis,
  };
  db = `sqlite://${path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-cli-cache-')), 'c.db')}`;
  for (const sql of [
    `create table ${table} (id integer primary key, v text)`,
    `insert into ${table} values (1, 'a'), (2, 'b')`,
  ]) {
    const r = await cli(['query', sql, '-c', db]);
    expect(r.code, r.stderr).toBe(0);
  }
});

afterAll(async () => {
  await cli(['cache', 'clear']);
});

const select = () => `select id, v from ${table} order by id`;

describe('aishell query --cache', () => {
  it('serves the second identical query from the cache, with cached: true and the same rows', async () => {
    const first = await cli(['query', select(), '-c', db, '--cache', '--json']);
    const second = await cli(['query', select(), '-c', db, '--cache', '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const [a, b] = [JSON.parse(first.stdout), JSON.parse(second.stdout)];
    expect(a.cached).toBe(false);
    expect(b.cached).toBe(true);
    expect(b.rows).toEqual(a.rows);
    expect(b.fields).toEqual(a.fields);
  });

  it('reads fresh rows after `cache invalidate <table>`', async () => {
    await cli(['query', select(), '-c', db, '--json']);
    expect(JSON.parse((await cli(['query', select(), '-c', db, '--json'])).stdout).cached).toBe(true);
    const inv = await cli(['cache', 'invalidate', `main.${table.toUpperCase()}`, '--json']);
    expect(inv.code, inv.stderr).toBe(0);
    expect(JSON.parse(inv.stdout)).toMatchObject({ table, dropped: expect.any(Number) });
    expect(JSON.parse(inv.stdout).dropped).toBeGreaterThanOrEqual(1);
    expect(JSON.parse((await cli(['query', select(), '-c', db, '--json'])).stdout).cached).toBe(false);
  });

  it('neither reads nor fills the cache with --no-cache', async () => {
    const sql = `select v from ${table} where id = 2`;
    await cli(['query', sql, '-c', db, '--no-cache', '--json']);
    const again = await cli(['query', sql, '-c', db, '--no-cache', '--json']);
    expect(JSON.parse(again.stdout).cached).toBe(false);
    expect(JSON.parse((await cli(['query', sql, '-c', db, '--json'])).stdout).cached).toBe(false);
  });

  it('exits 3 with a one-line message when --cache is asked for and Redis is down', async () => {
    const r = await cli(['query', 'select 1', '-c', db, '--cache', '--redis', 'redis://127.0.0.1:1']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^aishell: The Redis cache at 127\.0\.0\.1:1 is unavailable/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs uncached with one note when only the environment names a Redis that is down', async () => {
    const r = await cli(['query', 'select 1 as one', '-c', db, '--json'], {
      AISHELL_REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: [{ one: 1 }], cached: false });
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/query cache skipped/);
  });
});

describe('aishell cache', () => {
  it('moves the counters of `cache stats --json` with hits and misses', async () => {
    const before = JSON.parse((await cli(['cache', 'stats', '--json'])).stdout);
    const sql = `select v from ${table} where id = 1 and 'stats' = 'stats'`;
    await cli(['query', sql, '-c', db, '--json']);
    await cli(['query', sql, '-c', db, '--json']);
    const r = await cli(['cache', 'stats', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const after = JSON.parse(r.stdout);
    expect(after.namespace).toBe(env.AISHELL_CACHE_NAMESPACE);
    expect(after.hits - before.hits).toBe(1);
    expect(after.misses - before.misses).toBe(1);
    expect(after.sets - before.sets).toBe(1);
    expect(after.keys).toBeGreaterThanOrEqual(1);
  });

  it('lists entry metadata with `cache export`, as JSON and as NDJSON', async () => {
    await cli([
      'query',
      `select v from ${table} where id = 2 and 'export' = 'export'`,
      '-c',
      db,
      '--ttl',
      '120',
    ]);
    const r = await cli(['cache', 'export', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const mine = doc.entries.find(
      (e: { tags: string[]; ttlMillis: number }) => e.tags.includes(table) && e.ttlMillis <= 120_000,
    );
    expect(mine).toMatchObject({ key: expect.stringMatching(/:e:[0-9a-f]{64}$/), bytes: expect.any(Number) });
    expect(r.stdout).not.toContain('export');
    const nd = await cli(['cache', 'export', '--format', 'ndjson']);
    const lines = nd.stdout.trim().split('\n');
    expect(lines).toHaveLength(doc.entries.length);
    expect(JSON.parse(lines[0] as string)).toHaveProperty('ttlMillis');
  });

  it('streams `cache export --format ndjson`: the first lines leave before the scan has read the rest', async () => {
    const namespace = `${env.AISHELL_CACHE_NAMESPACE}-stream`;
    await using cache = await openCache({ redis, namespace });
    const total = 20_000;
    for (let i = 0; i < total; i += 1000)
      await Promise.all(
        Array.from({ length: 1000 }, (_, j) => cache.set(`k${i + j}`, 'v', { ttlSeconds: 120, tags: ['t'] })),
      );
    try {
      const child = spawn(process.execPath, [BIN, 'cache', 'export', '--format', 'ndjson'], {
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env, AISHELL_CACHE_NAMESPACE: namespace },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let stderr = '';
      let cleared: Promise<unknown> | undefined;
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (cleared) return;
        // The first lines are out: hold the pipe (the command waits on it), drop every entry, then read on.
        // A command that collected the whole scan before printing would print all of them anyway.
        child.stdout.pause();
        cleared = cache.clear().finally(() => child.stdout.resume());
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      await cleared;
      expect(code, stderr).toBe(0);
      const lines = out.trim().split('\n');
      expect(JSON.parse(lines[0] as string)).toMatchObject({ tags: ['t'], bytes: 4 });
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.length).toBeLessThan(total / 2);
    } finally {
      await cache.clear();
    }
  });

  it('empties the namespace with `cache clear`', async () => {
    await cli(['query', select(), '-c', db]);
    const r = await cli(['cache', 'clear', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).cleared).toBeGreaterThanOrEqual(1);
    expect(JSON.parse((await cli(['cache', 'stats', '--json'])).stdout)).toMatchObject({ keys: 0, hits: 0 });
    expect(JSON.parse((await cli(['query', select(), '-c', db, '--json'])).stdout).cached).toBe(false);
  });

  it.each([['stats'], ['clear'], ['invalidate', 'orders'], ['export']])(
    'exits 3 with a hint naming --redis and AISHELL_REDIS_URL when no Redis is configured (cache %s)',
    async (...args) => {
      const r = await runCli(['cache', ...args, '--json'], { env: tempHome() });
      expect(r.code).toBe(3);
      const doc = JSON.parse(r.stdout);
      expect(doc.error).toMatchObject({ code: 'CACHE_NOT_CONFIGURED' });
      expect(doc.error.hint).toMatch(/--redis/);
      expect(doc.error.hint).toMatch(/AISHELL_REDIS_URL/);
    },
  );
});
