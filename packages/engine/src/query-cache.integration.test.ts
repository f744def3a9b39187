import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type CacheError, createCache } from '@aishell/cache';
import { mysqlUrl, pgUrl, redisUrl } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenSessionOptions, Session } from './session.js';

type Engine = 'postgres' | 'mysql' | 'sqlite';
const suffix = Math.random().toString(36).slice(2, 8);
const t = `qc_t_${suffix}`;
/** A namespace of this file's own, so no other test file's clear() touches these keys. */
const namespace = `aishell-test-engine-qc-${suffix}`;
const noConfig = { connections: {} };
const urls = {} as Record<Engine, string>;
let redis: string;
const opened: Session[] = [];

/** Options over the defaults below; `undefined` removes a default (such as `redis`). */
type Extra = { [K in keyof OpenSessionOptions]?: OpenSessionOptions[K] | undefined };

async function open(engine: Engine, extra: Extra = {}): Promise<Session> {
  const options = {
    connection: urls[engine],
    config: noConfig,
    env: {},
    redis,
    cacheNamespace: namespace,
    history: false,
    ...extra,
  };
  const session = await Session.open(
    Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as OpenSessionOptions,
  );
  opened.push(session);
  return session;
}

/** A TCP port on which nothing listens (it was open a moment ago). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Sends one command to the Redis at `url` (database included) over RESP; engine has no Redis client of its own. */
async function redisCommand(url: string, args: (string | Buffer)[]): Promise<string> {
  const { hostname, port, pathname } = new URL(url);
  const db = pathname.slice(1) || '0';
  const encode = (parts: (string | Buffer)[]): Buffer =>
    Buffer.concat([
      Buffer.from(`*${parts.length}\r\n`),
      ...parts.flatMap((p) => {
        const b = Buffer.isBuffer(p) ? p : Buffer.from(p);
        return [Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n')];
      }),
    ]);
  const socket = net.connect(Number(port || 6379), hostname);
  let reply = '';
  await new Promise<void>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      // Two replies: SELECT's +OK and the command's.
      if (reply.split('\r\n').length > 2) resolve();
    });
    socket.write(Buffer.concat([encode(['SELECT', db]), encode(args)]));
  });
  socket.destroy();
  return reply;
}

beforeAll(async () => {
  redis = await redisUrl();
  urls.postgres = await pgUrl();
  urls.mysql = await mysqlUrl();
  urls.sqlite = `sqlite://${path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-qc-')), 'a.db')}`;
  for (const engine of Object.keys(urls) as Engine[]) {
    const s = await open(engine, { history: false });
    await s.run(`create table ${t} (id integer primary key, v varchar(10))`);
    await s.run(`insert into ${t} (id, v) values (1, 'a'), (2, 'b')`);
  }
});

afterAll(async () => {
  for (const engine of Object.keys(urls) as Engine[]) {
    const s = await open(engine);
    await s.run(`drop table if exists ${t}`, { confirmed: true }).catch(() => {});
  }
  for (const s of opened) await s.close();
  await using cleaner = createCache({ url: redis, namespace });
  await cleaner.clear();
});

describe.each(['postgres', 'mysql', 'sqlite'] as const)('the query cache on %s', (engine) => {
  it('serves the second identical read from the cache with the same rows and cached: true', async () => {
    const s = await open(engine);
    const sql = `select id, v from ${t} where id <= 2 order by id`;
    const first = (await s.run(sql)).results[0];
    const second = (await s.run(sql)).results[0];
    expect(first?.cached).toBe(false);
    expect(second?.cached).toBe(true);
    expect(second?.rows).toEqual(first?.rows);
    expect(second?.fields).toEqual(first?.fields);
    expect(second?.rowCount).toBe(2);
    expect(typeof second?.durationMs).toBe('number');
  });

  it('drops the entries of a table after a write to it through a session, so the next read is fresh', async () => {
    const reader = await open(engine);
    const writer = await open(engine);
    const sql = `select v from ${t} where id = 2`;
    await reader.run(sql);
    expect((await reader.run(sql)).results[0]?.cached).toBe(true);
    await writer.run(`update ${t} set v = 'changed' where id = 2`, { confirmed: true });
    const after = (await reader.run(sql)).results[0];
    expect(after).toMatchObject({ cached: false, rows: [{ v: 'changed' }] });
    await writer.run(`update ${t} set v = 'b' where id = 2`, { confirmed: true });
    expect((await reader.run(sql)).results[0]).toMatchObject({ cached: false, rows: [{ v: 'b' }] });
  });

  it('never lets a different parameter hit another parameter’s entry', async () => {
    const s = await open(engine);
    const sql = `select v from ${t} where id = ${engine === 'postgres' ? '$1' : '?'}`;
    await s.run(sql, { params: [1] });
    expect((await s.run(sql, { params: [1] })).results[0]).toMatchObject({
      cached: true,
      rows: [{ v: 'a' }],
    });
    expect((await s.run(sql, { params: [2] })).results[0]).toMatchObject({
      cached: false,
      rows: [{ v: 'b' }],
    });
  });

  it('shares one entry between statements that differ only in whitespace, keyword case or comments', async () => {
    const s = await open(engine);
    const p = engine === 'postgres' ? '$1' : '?';
    const first = `select id, v from ${t} where id = ${p} and 'canon' = 'canon'`;
    expect((await s.run(first, { params: [1] })).results[0]?.cached).toBe(false);
    for (const variant of [
      `SELECT id,v FROM ${t} WHERE id=${p} AND 'canon'='canon'`,
      `/* traceparent='00-${suffix}-01' */ select  id ,\n\tv\nfrom ${t} -- why\n where id = ${p} and 'canon' = 'canon';`,
      `select id, v from ${t} where id = ${p} and 'canon' = 'canon' /*controller='orders',action='show'*/`,
    ]) {
      expect((await s.run(variant, { params: [1] })).results[0], variant).toMatchObject({
        cached: true,
        rows: [{ id: 1, v: 'a' }],
      });
    }
  });

  it('keeps apart statements that differ in a literal, a parameter, an identifier or a quoted identifier’s case', async () => {
    const s = await open(engine);
    const q = (name: string) => (engine === 'mysql' ? `\`${name}\`` : `"${name}"`);
    const base = `select v from ${t} where id = 1 and 'apart' = 'apart'`;
    await s.run(base);
    expect((await s.run(base)).results[0]?.cached).toBe(true);
    for (const other of [
      `select v from ${t} where id = 2 and 'apart' = 'apart'`,
      `select v from ${t} where id = 1 and 'apart' = 'APART'`,
      `select id from ${t} where id = 1 and 'apart' = 'apart'`,
      `select ${q('v')} from ${t} where id = 1 and 'apart' = 'apart'`,
    ]) {
      expect((await s.run(other)).results[0]?.cached, other).toBe(false);
    }
    const p = engine === 'postgres' ? '$1' : '?';
    const withParam = `select v from ${t} where id = ${p} and 'apart' = 'apart'`;
    await s.run(withParam, { params: [1] });
    expect((await s.run(withParam, { params: ['1'] })).results[0]?.cached).toBe(false);
    // SQLite folds quoted identifiers too: "Qc" and "qc" are one table there (two keys only cost a miss).
    if (engine === 'sqlite') return;
    const upper = `qc_Case_${suffix}`;
    await s.run(`create table ${q(upper)} (v varchar(10))`);
    await s.run(`create table ${q(upper.toLowerCase())} (v varchar(10))`);
    try {
      await s.run(`insert into ${q(upper)} values ('upper')`);
      await s.run(`insert into ${q(upper.toLowerCase())} values ('lower')`);
      expect((await s.run(`select v from ${q(upper)}`)).results[0]?.rows).toEqual([{ v: 'upper' }]);
      const lower = (await s.run(`select v from ${q(upper.toLowerCase())}`)).results[0];
      expect(lower).toMatchObject({ cached: false, rows: [{ v: 'lower' }] });
    } finally {
      await s.run(`drop table ${q(upper)}`, { confirmed: true });
      await s.run(`drop table ${q(upper.toLowerCase())}`, { confirmed: true });
    }
  });

  it('never caches volatile statements, writes or scripts', async () => {
    const s = await open(engine);
    const volatile =
      engine === 'sqlite' ? `select datetime('now') as n from ${t}` : `select now() as n from ${t}`;
    const random = engine === 'mysql' ? `select rand() as r from ${t}` : `select random() as r from ${t}`;
    for (const sql of [
      volatile,
      random,
      `select v from ${t} where id = 1; select v from ${t} where id = 2`,
    ]) {
      await s.run(sql);
      const again = (await s.run(sql)).results;
      expect(
        again.every((r) => !r.cached),
        sql,
      ).toBe(true);
    }
    await s.run(`insert into ${t} (id, v) values (9, 'w')`);
    const write = await s.run(`delete from ${t} where id = 9`, { confirmed: true });
    expect(write.results[0]).toMatchObject({ cached: false, rowCount: 1 });
  });
});

describe('the query cache', () => {
  it('never serves one connection’s entry to another connection with the same SQL', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-qc-'));
    const one = await open('sqlite', { connection: `sqlite://${path.join(dir, 'one.db')}` });
    const two = await open('sqlite', { connection: `sqlite://${path.join(dir, 'two.db')}` });
    await one.run(`create table same_${suffix} (v text)`);
    await two.run(`create table same_${suffix} (v text)`);
    await one.run(`insert into same_${suffix} values ('one')`);
    await two.run(`insert into same_${suffix} values ('two')`);
    const sql = `select v from same_${suffix}`;
    await one.run(sql);
    expect((await one.run(sql)).results[0]).toMatchObject({ cached: true, rows: [{ v: 'one' }] });
    expect((await two.run(sql)).results[0]).toMatchObject({ cached: false, rows: [{ v: 'two' }] });
  });

  it('refuses the fill of a read that an invalidation overtook, so the next read is fresh', async () => {
    const reader = await open('postgres');
    const writer = await open('postgres');
    const blocker = await open('postgres', { redis: undefined, env: {} });
    const gate = `gate_${suffix}`;
    // A function the analysis cannot see into: it waits for an advisory lock the test holds.
    await writer.run(
      `create function ${gate}() returns int language sql as $$ select pg_advisory_lock_shared(4242); select pg_advisory_unlock_shared(4242); select 1 $$`,
    );
    try {
      const sql = `select v, ${gate}() as g from ${t} where id = 1`;
      let pending: Promise<unknown> | undefined;
      await blocker.pool.withConnection(async (conn) => {
        await conn.query('select pg_advisory_lock(4242)');
        pending = reader.run(sql);
        // Wait until the read has taken its ticket and sits in the database, blocked on the lock.
        for (let i = 0; i < 200; i++) {
          const { rows } = await writer.pool.query(
            `select count(*)::int as n from pg_stat_activity where query like '%${gate}() as g%' and wait_event_type = 'Lock'`,
          );
          if (rows[0]?.n === 1) break;
          await sleep(25);
        }
        await writer.run(`update ${t} set v = 'new' where id = 1`, { confirmed: true });
        await conn.query('select pg_advisory_unlock(4242)');
      });
      const stale = (await pending) as { results: { rows: unknown[] }[] };
      expect(stale.results[0]?.rows).toEqual([{ v: 'a', g: 1 }]);
      // The old rows were not stored: the next read goes to the database and sees the write.
      expect((await reader.run(sql)).results[0]).toMatchObject({ cached: false, rows: [{ v: 'new', g: 1 }] });
      expect((await reader.run(sql)).results[0]).toMatchObject({ cached: true, rows: [{ v: 'new', g: 1 }] });
    } finally {
      await writer.run(`update ${t} set v = 'a' where id = 1`, { confirmed: true });
      await writer.run(`drop function ${gate}()`, { confirmed: true });
    }
  });

  it('treats a stored value it cannot read as a miss: the rows come from the database, the entry is replaced', async () => {
    const own = `${namespace}-undecodable`;
    const s = await open('sqlite', { cacheNamespace: own });
    const sql = `select v from ${t} where id = 1 and 'undecodable' = 'undecodable'`;
    await s.run(sql);
    try {
      await using lister = createCache({ url: redis, namespace: own });
      const entries = [];
      for await (const entry of lister.entries()) entries.push(entry.key);
      expect(entries).toHaveLength(1);
      // A value of another format, then a well-formed value that is not a result.
      for (const bad of [Buffer.from('{"rows":'), Buffer.from([0xac, 0x01, 0x00, 0x5b, 0x5d])]) {
        await redisCommand(redis, ['HSET', entries[0] as string, 'v', bad]);
        expect((await s.run(sql)).results[0]).toMatchObject({ cached: false, rows: [{ v: 'a' }] });
        expect((await s.run(sql)).results[0]).toMatchObject({ cached: true, rows: [{ v: 'a' }] });
      }
      await s.close(); // adds its counts to the namespace's counters
      await using reader = createCache({ url: redis, namespace: own });
      expect((await reader.stats()).undecodable).toBe(2);
    } finally {
      await using cleaner = createCache({ url: redis, namespace: own });
      await cleaner.clear();
    }
  });

  it('runs concurrent identical misses of one session once, and gives every caller the rows', async () => {
    const s = await open('postgres');
    const writer = await open('postgres', { redis: undefined, env: {} });
    const calls = `qc_calls_${suffix}`;
    const counted = `qc_counted_${suffix}`;
    await writer.run(`create table ${calls} (n int)`);
    // A function the analysis cannot see into: it records every execution, then waits a little.
    await writer.run(
      `create function ${counted}() returns int language plpgsql as $$ begin insert into ${calls} values (1); perform pg_sleep(0.2); return 1; end $$`,
    );
    try {
      const sql = `select v, ${counted}() as c from ${t} where id = 1`;
      const runs = await Promise.all(Array.from({ length: 20 }, () => s.run(sql)));
      for (const run of runs) expect(run.results[0]?.rows).toEqual([{ v: 'a', c: 1 }]);
      expect(runs.filter((r) => r.results[0]?.cached === false)).toHaveLength(1);
      const { results } = await writer.run(`select count(*)::int as n from ${calls}`);
      expect(results[0]?.rows).toEqual([{ n: 1 }]);
    } finally {
      await writer.run(`drop function ${counted}()`, { confirmed: true });
      await writer.run(`drop table ${calls}`, { confirmed: true });
    }
  });

  it('hands out the rows decoded from the same stored bytes again, frozen, and decodes changed bytes anew', async () => {
    const own = `${namespace}-decoded`;
    const s = await open('sqlite', { cacheNamespace: own });
    const sql = `select id, v from ${t} where id = 1 and 'decoded' = 'decoded'`;
    try {
      await s.run(sql);
      const first = (await s.run(sql)).results[0];
      const second = (await s.run(sql)).results[0];
      expect(second).toMatchObject({ cached: true, rows: [{ id: 1, v: 'a' }] });
      // One decode for both hits: the same objects, frozen so that neither caller can change the other's.
      expect(second?.rows).toBe(first?.rows);
      expect(Object.isFrozen(second?.rows[0])).toBe(true);
      expect(() => {
        (second?.rows[0] as { v: string }).v = 'changed';
      }).toThrow(TypeError);
      // Other bytes under the same key (another session's fill, say): decoded from them, never the old rows.
      await using lister = createCache({ url: redis, namespace: own });
      const keys = [];
      for await (const entry of lister.entries()) keys.push(entry.key);
      const other = JSON.stringify({
        command: 'SELECT',
        rowCount: 1,
        fields: first?.fields,
        rows: [{ id: 1, v: 'z' }],
      });
      await redisCommand(redis, [
        'HSET',
        keys[0] as string,
        'v',
        Buffer.concat([Buffer.from([0xac, 0x01, 0x00]), Buffer.from(other)]),
      ]);
      expect((await s.run(sql)).results[0]).toMatchObject({ cached: true, rows: [{ id: 1, v: 'z' }] });
    } finally {
      await s.close(); // adds its counts first, so that the clear below leaves nothing behind
      await using cleaner = createCache({ url: redis, namespace: own });
      await cleaner.clear();
    }
  });

  it('analyses a statement text once per session, and still guards every run of it', async () => {
    const s = await open('postgres');
    const sql = `select v from ${t} where id = 2 and 'memo' = 'memo'`;
    const first = await s.run(sql);
    const second = await s.run(sql);
    expect(second.analysis).toBe(first.analysis);
    expect(Object.isFrozen(second.analysis.statements[0])).toBe(true);
    // The remembered analysis decides as a fresh one: a critical statement is refused each time, a write
    // under readOnly too, and nothing is sent.
    const drop = `delete from ${t}`;
    for (let i = 0; i < 2; i++) {
      await expect(s.run(drop)).rejects.toMatchObject({ name: 'SafetyError' });
      await expect(s.run(`update ${t} set v = 'x'`, { readOnly: true })).rejects.toMatchObject({
        name: 'ReadOnlyError',
      });
    }
    expect((await s.run(`select count(*)::int as n from ${t}`)).results[0]?.rows).toEqual([{ n: 2 }]);
  });

  it('expires an entry after its TTL', async () => {
    const s = await open('sqlite');
    const sql = `select v from ${t} where id = 1 and 'ttl' = 'ttl'`;
    await s.run(sql, { ttlSeconds: 0.3 });
    expect((await s.run(sql)).results[0]?.cached).toBe(true);
    await sleep(500);
    expect((await s.run(sql)).results[0]?.cached).toBe(false);
  });

  it('fails with CACHE_UNAVAILABLE before sending anything when an explicit Redis is down', async () => {
    const port = await closedPort();
    const s = await open('sqlite', { redis: `redis://127.0.0.1:${port}` });
    expect(s.cacheMode).toBe('required');
    await expect(s.run(`select v from ${t}`)).rejects.toMatchObject({
      name: 'CacheError',
      code: 'CACHE_UNAVAILABLE',
    });
  });

  it('runs uncached and reports the failure when Redis from the environment is down', async () => {
    const port = await closedPort();
    const errors: CacheError[] = [];
    const s = await open('sqlite', {
      redis: undefined,
      env: { AISHELL_REDIS_URL: `redis://127.0.0.1:${port}` },
      onCacheError: (error) => errors.push(error),
    });
    expect(s.cacheMode).toBe('optional');
    const { results } = await s.run(`select v from ${t} where id = 1`);
    expect(results[0]).toMatchObject({ cached: false, rows: [{ v: 'a' }] });
    expect(errors[0]?.code).toBe('CACHE_UNAVAILABLE');
    // A write still succeeds; its invalidation failure is reported, not thrown.
    await s.run(`update ${t} set v = 'a' where id = 1`, { confirmed: true });
    expect(errors.length).toBeGreaterThanOrEqual(2);
  });

  it('requires a Redis URL when the cache is asked for, and is off without one', async () => {
    await expect(open('sqlite', { redis: undefined, cache: true })).rejects.toMatchObject({
      code: 'CACHE_NOT_CONFIGURED',
    });
    const off = await open('sqlite', { redis: undefined });
    expect(off.cacheMode).toBe('off');
    const sql = `select v from ${t} where id = 2`;
    await off.run(sql);
    expect((await off.run(sql)).results[0]?.cached).toBe(false);
  });

  it('neither reads nor fills with cache: false, but still invalidates on writes', async () => {
    const cached = await open('sqlite');
    const uncached = await open('sqlite', { cache: false });
    const sql = `select v from ${t} where id = 2 and 1 = 1`;
    await cached.run(sql);
    expect((await uncached.run(sql)).results[0]?.cached).toBe(false);
    expect((await cached.run(sql)).results[0]?.cached).toBe(true);
    await uncached.run(`update ${t} set v = 'b' where id = 2`, { confirmed: true });
    expect((await cached.run(sql)).results[0]?.cached).toBe(false);
  });
});
