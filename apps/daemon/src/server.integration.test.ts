import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pgUrl } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type DaemonServer } from './server.js';

const suffix = randomBytes(4).toString('hex');
const table = `daemon_items_${suffix}`;
const token = `test-token-${randomBytes(16).toString('hex')}`;
const logLines: string[] = [];
const home = mkdtempSync(path.join(os.tmpdir(), 'aishelld-test-'));
const env = {
  HOME: home,
  XDG_CONFIG_HOME: path.join(home, 'config'),
  XDG_DATA_HOME: path.join(home, 'data'),
  XDG_STATE_HOME: path.join(home, 'state'),
};

let app: DaemonServer;
let base: string;
const urls = { postgres: '', sqlite: '' };
// A password the test server does not check (trust auth) but that must never be echoed.
let pgPassword = '';
// A port where nothing listens, allowed so that the daemon tries it and fails (502).
let closedPort = 0;

function post(body: unknown, options: { auth?: string | null; raw?: string } = {}): Promise<Response> {
  const auth = options.auth === undefined ? `Bearer ${token}` : options.auth;
  return fetch(`${base}/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth === null ? {} : { authorization: auth }) },
    body: options.raw ?? JSON.stringify(body),
  });
}

async function query(
  connection: string,
  sql: string,
  extra: Record<string, unknown> = {},
): Promise<{ status: number; doc: Record<string, unknown> }> {
  const res = await post({ connection, sql, ...extra });
  return { status: res.status, doc: (await res.json()) as Record<string, unknown> };
}

async function count(connection: string): Promise<number> {
  const { status, doc } = await query(connection, `select count(*) as n from ${table}`);
  expect(status, JSON.stringify(doc)).toBe(200);
  return Number((doc.rows as { n: unknown }[])[0]?.n);
}

async function requestCount(labels: string): Promise<number> {
  const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  const line = text.split('\n').find((l) => l.startsWith(`aishelld_http_requests_total{${labels}}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

beforeAll(async () => {
  const url = new URL(await pgUrl());
  if (!url.password) url.password = `pw-${randomBytes(8).toString('hex')}`;
  pgPassword = decodeURIComponent(url.password);
  urls.postgres = url.toString();
  const sqliteDir = mkdtempSync(path.join(os.tmpdir(), 'aishelld-sqlite-'));
  // The daemon opens existing files only: an empty file is an empty SQLite database.
  writeFileSync(path.join(sqliteDir, 'test.db'), '');
  urls.sqlite = `sqlite://${path.join(sqliteDir, 'test.db')}`;
  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedPort = (closed.address() as net.AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  // The daemon serves only what its configuration allows besides saved connections (docs/daemon.md).
  mkdirSync(path.join(env.XDG_CONFIG_HOME, 'aishell'), { recursive: true });
  writeFileSync(
    path.join(env.XDG_CONFIG_HOME, 'aishell', 'config.json'),
    JSON.stringify({
      daemon: {
        allowUrls: [`${url.protocol}//${url.host}/`, `postgres://127.0.0.1:${closedPort}/`],
        allowFolders: [sqliteDir],
      },
    }),
  );
  app = await buildServer({
    token,
    env,
    processMetrics: false,
    logLevel: 'debug',
    logDestination: { write: (line: string) => void logLines.push(line) },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as net.AddressInfo;
  base = `http://127.0.0.1:${address.port}`;
  for (const connection of Object.values(urls)) {
    for (const sql of [
      `create table ${table} (id integer primary key, name varchar(40) not null)`,
      `insert into ${table} (id, name) values (1, 'apple'), (2, 'pear'), (3, 'fig')`,
    ]) {
      const { status, doc } = await query(connection, sql);
      expect(status, JSON.stringify(doc)).toBe(200);
    }
  }
});

afterAll(async () => {
  if (!app) return;
  for (const connection of Object.values(urls))
    await query(connection, `drop table if exists ${table}`, { confirm: true });
  await app.close();
});

describe('authentication', () => {
  it('answers 401 without a bearer token and sends nothing to the database', async () => {
    const res = await post(
      { connection: urls.postgres, sql: `delete from ${table} where id = 1` },
      { auth: null },
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await res.json()).toEqual({ error: { code: 'DAEMON_UNAUTHORIZED', message: expect.any(String) } });
    expect(await count(urls.postgres)).toBe(3);
  });

  it('answers 401 for a wrong token, including one that differs only in length', async () => {
    for (const auth of [
      `Bearer ${token}x`,
      `Bearer ${token.slice(0, -1)}`,
      'Bearer nope',
      `Basic ${token}`,
      token,
    ]) {
      const res = await post({ connection: urls.postgres, sql: 'select 1' }, { auth });
      expect(res.status, auth).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('DAEMON_UNAUTHORIZED');
    }
  });

  it('guards /metrics with the token but not /health', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    const doc = (await health.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      pid: process.pid,
    });
    expect(doc.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });
});

describe('POST /v1/query', () => {
  it('answers 400 for a body that is not JSON, without echoing it', async () => {
    const res = await post(undefined, { raw: '{"connection": "x", "sql": hunter2' });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text).error.code).toBe('DAEMON_BAD_REQUEST');
    expect(text).not.toContain('hunter2');
  });

  it('answers unknown routes, other media types and oversized bodies in the same error shape', async () => {
    const missing = await fetch(`${base}/v1/nothing`, { headers: { authorization: `Bearer ${token}` } });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('DAEMON_NOT_FOUND');
    const xml = await fetch(`${base}/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', authorization: `Bearer ${token}` },
      body: '<sql>select 1</sql>',
    });
    expect(xml.status).toBe(415);
    expect(((await xml.json()) as { error: { code: string } }).error.code).toBe(
      'DAEMON_UNSUPPORTED_MEDIA_TYPE',
    );
    const huge = await post({ connection: urls.sqlite, sql: `select '${'x'.repeat(1024 * 1024)}'` });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe('DAEMON_BODY_TOO_LARGE');
  });

  it('answers 400 naming each problem of a malformed body', async () => {
    const res = await post({ connection: urls.postgres, sql: 42, readonly: true });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('DAEMON_BAD_REQUEST');
    expect(error.message).toMatch(/sql/);
    expect(error.message).toMatch(/readonly/);
    const empty = await post({ connection: '', sql: 'select 1' });
    expect(empty.status).toBe(400);
  });

  it('answers 400 for an unknown saved connection and for a malformed URL', async () => {
    const unknown = await query('no-such-saved-connection', 'select 1');
    expect(unknown.status).toBe(400);
    expect(unknown.doc).toMatchObject({ error: { code: 'ENGINE_UNKNOWN_CONNECTION' } });
    const malformed = await query('postgres://bob:hunter2secret@db.example:notaport/x', 'select 1');
    expect(malformed.status).toBe(400);
    expect(malformed.doc).toMatchObject({ error: { code: 'POOL_URL' } });
    expect(JSON.stringify(malformed.doc)).not.toContain('hunter2secret');
  });

  describe.each(['postgres', 'sqlite'] as const)('on %s', (engine) => {
    it('answers a select with the JSON document of aishell query --json', async () => {
      const { status, doc } = await query(
        urls[engine],
        `select id, name from ${table} where id <= 2 order by id`,
      );
      expect(status).toBe(200);
      expect(Object.keys(doc)).toEqual(['command', 'rowCount', 'fields', 'rows', 'durationMs', 'cached']);
      expect(doc).toMatchObject({
        command: 'SELECT',
        rowCount: 2,
        rows: [
          { id: 1, name: 'apple' },
          { id: 2, name: 'pear' },
        ],
        cached: false,
      });
      expect((doc.fields as { name: string; type: string }[]).map((f) => f.name)).toEqual(['id', 'name']);
      expect(typeof (doc.fields as { type: unknown }[])[0]?.type).toBe('string');
      expect(typeof doc.durationMs).toBe('number');
    });

    it('binds positional parameters', async () => {
      const placeholder = engine === 'postgres' ? '$1' : '?';
      const { status, doc } = await query(
        urls[engine],
        `select name from ${table} where id = ${placeholder}`,
        { params: [3] },
      );
      expect(status).toBe(200);
      expect(doc.rows).toEqual([{ name: 'fig' }]);
    });

    it('answers a script with one result per statement', async () => {
      const { status, doc } = await query(
        urls[engine],
        `select 'a;b' as s; select count(*) as n from ${table}`,
      );
      expect(status).toBe(200);
      const results = doc.results as { command: string; rows: Record<string, unknown>[] }[];
      expect(results).toHaveLength(2);
      expect(results[0]?.rows).toEqual([{ s: 'a;b' }]);
      expect(Number(results[1]?.rows[0]?.n)).toBe(3);
    });

    it('refuses a DELETE without WHERE with 422 unless confirmed, and the rows stay', async () => {
      const { status, doc } = await query(urls[engine], `delete from ${table}`);
      expect(status).toBe(422);
      expect(doc).toMatchObject({
        error: { code: 'SAFETY_REFUSED', risk: expect.stringMatching(/high|critical/) },
      });
      expect((doc.error as { message: string }).message).toMatch(/DELETE without WHERE/i);
      expect(await count(urls[engine])).toBe(3);
    });

    it('runs a risky statement when the body confirms it', async () => {
      const scratch = `${table}_scratch`;
      expect((await query(urls[engine], `create table ${scratch} (id integer)`)).status).toBe(200);
      expect((await query(urls[engine], `insert into ${scratch} (id) values (1), (2)`)).status).toBe(200);
      const deleted = await query(urls[engine], `delete from ${scratch}`, { confirm: true });
      expect(deleted.status).toBe(200);
      expect(deleted.doc.rowCount).toBe(2);
      expect((await query(urls[engine], `drop table ${scratch}`, { confirm: true })).status).toBe(200);
    });

    it('answers 502 with the server message for an unknown table', async () => {
      const { status, doc } = await query(urls[engine], `select * from no_such_table_${suffix}`);
      expect(status).toBe(502);
      expect(doc).toMatchObject({ error: { code: 'POOL_QUERY' } });
      expect((doc.error as { message: string }).message).toMatch(new RegExp(`no_such_table_${suffix}`));
    });

    it('refuses a write under readOnly with 422 before sending it, even confirmed, and nothing is written', async () => {
      for (const sql of [
        `insert into ${table} (id, name) values (99, 'x')`,
        `commit; insert into ${table} (id, name) values (99, 'x')`,
      ]) {
        const { status, doc } = await query(urls[engine], sql, { readOnly: true, confirm: true });
        expect(status, JSON.stringify(doc)).toBe(422);
        expect(doc).toMatchObject({ error: { code: 'SAFETY_READ_ONLY' } });
      }
      expect(await count(urls[engine])).toBe(3);
    });

    it('rolls back a transaction a request leaves open and says so; the next request starts clean', async () => {
      const left = await query(urls[engine], `begin; insert into ${table} (id, name) values (98, 'x')`);
      expect(left.status).toBe(200);
      expect(left.doc).toMatchObject({ rolledBack: true, warning: expect.stringMatching(/rolled back/) });
      expect(await count(urls[engine])).toBe(3);
      const clean = await query(urls[engine], 'select 1 as one');
      expect(clean.doc.rolledBack).toBeUndefined();
    });
  });

  it("keeps one client's session settings and transactions out of another client's requests", async () => {
    const pgUrl = urls.postgres;
    // statement_timeout and search_path would otherwise carry over on the pooled connection.
    expect((await query(pgUrl, 'set statement_timeout = 1; set search_path = pg_catalog')).status).toBe(200);
    const after = await query(
      pgUrl,
      "select current_setting('statement_timeout') as t, current_setting('search_path') as p, pg_sleep(0.05)",
    );
    expect(after.status, JSON.stringify(after.doc)).toBe(200);
    expect((after.doc.rows as Record<string, unknown>[])[0]).toMatchObject({ t: '0', p: '"$user", public' });
    // A BEGIN left open, an acknowledged INSERT of another client, then a third client's ROLLBACK.
    await query(pgUrl, 'begin');
    const insert = await query(pgUrl, `insert into ${table} (id, name) values (97, 'kept')`);
    expect(insert.status).toBe(200);
    await query(pgUrl, 'rollback');
    expect(await count(pgUrl)).toBe(4);
    expect((await query(pgUrl, `delete from ${table} where id = 97`, { confirm: true })).status).toBe(200);
  });

  it('answers 502 when the database cannot be reached, without echoing the password', async () => {
    const { status, doc } = await query(
      `postgres://postgres:Unreachable-s3cret@127.0.0.1:${closedPort}/x`,
      'select 1',
    );
    expect(status).toBe(502);
    expect(doc).toMatchObject({ error: { code: 'POOL_CONNECT' } });
    expect(JSON.stringify(doc)).not.toContain('Unreachable-s3cret');
  });

  it('cancels the running statement on the server when the client hangs up', async () => {
    const marker = `hangup_${suffix}`;
    const aborter = new AbortController();
    const pending = fetch(`${base}/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ connection: urls.postgres, sql: `select pg_sleep(20) as ${marker}` }),
      signal: aborter.signal,
    }).catch(() => undefined);
    const running = async (): Promise<number> => {
      const { doc } = await query(
        urls.postgres,
        `select count(*)::int as n from pg_stat_activity where state = 'active' and query like '%as ${marker}'`,
      );
      return (doc.rows as { n: number }[])[0]?.n ?? -1;
    };
    await expect.poll(running, { timeout: 10_000 }).toBe(1);
    aborter.abort();
    await pending;
    await expect.poll(running, { timeout: 10_000 }).toBe(0);
  });

  it('reuses one session per connection string', async () => {
    const before = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } }).then(
      (r) => r.text(),
    );
    await query(urls.sqlite, 'select 1 as one');
    await query(urls.sqlite, 'select 2 as two');
    const after = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } }).then(
      (r) => r.text(),
    );
    const sessions = (text: string) => Number(/^aishelld_open_sessions (\d+)/m.exec(text)?.[1]);
    expect(sessions(after)).toBe(sessions(before));
    expect(sessions(after)).toBeGreaterThanOrEqual(2);
  });
});

describe('GET /metrics', () => {
  it('counts answered requests by route and status, and records query latency', async () => {
    const labels = 'method="POST",route="/v1/query",status="200"';
    const before = await requestCount(labels);
    expect((await query(urls.sqlite, 'select 1 as one')).status).toBe(200);
    expect(await requestCount(labels)).toBe(before + 1);
    const text = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } }).then((r) =>
      r.text(),
    );
    expect(text).toMatch(/^aishelld_query_duration_seconds_count\{kind="select",outcome="ok"\} [1-9]\d*$/m);
    expect(text).toMatch(
      /^aishelld_query_duration_seconds_bucket\{le="0\.001",kind="select",outcome="ok"\} \d+$/m,
    );
    expect(text).toMatch(
      /^aishelld_query_duration_seconds_count\{kind="delete",outcome="refused"\} [1-9]\d*$/m,
    );
  });
});

describe('logging', () => {
  it('never writes the token, a password, SQL text or parameters to the log', async () => {
    await query(urls.postgres, `select name from ${table} where name = $1`, {
      params: ['secret-param-value'],
    });
    await post({ connection: urls.postgres, sql: 'select 1' }, { auth: 'Bearer wrong-token-value' });
    const log = logLines.join('');
    expect(logLines.length).toBeGreaterThan(10);
    expect(log).not.toContain(token);
    expect(log).not.toContain(pgPassword);
    expect(log).not.toContain('wrong-token-value');
    expect(log).not.toContain('secret-param-value');
    expect(log).not.toContain('Unreachable-s3cret');
    expect(log).not.toContain('hunter2');
    expect(log).not.toContain(`where name = `);
    // What it does write: one JSON line per request with the route pattern and the status.
    const requests = logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'request');
    expect(requests.some((l) => l.route === '/v1/query' && l.status === 401)).toBe(true);
  });
});
