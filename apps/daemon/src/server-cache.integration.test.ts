import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Session } from '@aishell/engine';
import { pgUrl, redisUrl } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type DaemonServer } from './server.js';

const suffix = randomBytes(4).toString('hex');
const table = `daemon_sf_${suffix}`;
const calls = `daemon_sf_calls_${suffix}`;
const counted = `daemon_sf_counted_${suffix}`;
const namespace = `aishell-test-daemon-sf-${suffix}`;
const token = `test-token-${randomBytes(16).toString('hex')}`;
const home = mkdtempSync(path.join(os.tmpdir(), 'aishelld-sf-'));
let app: DaemonServer;
let base: string;
let pg: string;
let admin: Session;

async function query(sql: string): Promise<{ status: number; doc: Record<string, unknown> }> {
  const res = await fetch(`${base}/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ connection: pg, sql }),
  });
  return { status: res.status, doc: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  pg = await pgUrl();
  const redis = await redisUrl();
  const env = {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_STATE_HOME: path.join(home, 'state'),
    AISHELL_REDIS_URL: redis,
    AISHELL_CACHE_NAMESPACE: namespace,
  };
  const url = new URL(pg);
  mkdirSync(path.join(env.XDG_CONFIG_HOME, 'aishell'), { recursive: true });
  writeFileSync(
    path.join(env.XDG_CONFIG_HOME, 'aishell', 'config.json'),
    JSON.stringify({ daemon: { allowUrls: [`${url.protocol}//${url.host}/`] } }),
  );
  admin = await Session.open({ connection: pg, config: { connections: {} }, env: {}, history: false });
  await admin.run(`create table ${table} (id int primary key, name text)`);
  await admin.run(`insert into ${table} values (1, 'apple'), (2, 'pear')`);
  await admin.run(`create table ${calls} (n int)`);
  // A function the analysis cannot see into: it records every execution and takes a while, so that the
  // twenty requests arrive while the first one is still in the database.
  await admin.run(
    `create function ${counted}() returns int language plpgsql as $$ begin insert into ${calls} values (1); perform pg_sleep(0.5); return 1; end $$`,
  );
  app = await buildServer({ token, env, processMetrics: false, logLevel: 'silent' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  await app?.close();
  if (!admin) return;
  await admin.run(`drop function if exists ${counted}()`, { confirmed: true });
  await admin.run(`drop table if exists ${table}, ${calls}`, { confirmed: true });
  await admin.close();
  const { openCache } = await import('@aishell/engine');
  const cache = await openCache({ redis: await redisUrl(), namespace });
  await cache.clear();
  await cache.close();
});

describe('the daemon with a query cache', () => {
  it('runs 20 concurrent identical requests once (single flight), and answers every one with the rows', async () => {
    // An uncorrelated subquery: the function runs once per execution of the statement, not once per row.
    const sql = `select id, name, (select ${counted}()) as c from ${table} order by id`;
    const replies = await Promise.all(Array.from({ length: 20 }, () => query(sql)));
    for (const { status, doc } of replies) {
      expect(status, JSON.stringify(doc)).toBe(200);
      expect(doc.rows).toEqual([
        { id: 1, name: 'apple', c: 1 },
        { id: 2, name: 'pear', c: 1 },
      ]);
    }
    expect(replies.filter((r) => r.doc.cached === false)).toHaveLength(1);
    const { results } = await admin.run(`select count(*)::int as n from ${calls}`);
    expect(results[0]?.rows).toEqual([{ n: 1 }]);
    // And the next request is a plain hit.
    expect((await query(sql)).doc.cached).toBe(true);
  });
});
