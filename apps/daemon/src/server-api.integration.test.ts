import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { analyze, toJson } from '@aishell/engine';
import { pgUrl, redisUrl } from '@aishell/testing';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type DaemonServer } from './server.js';

const suffix = randomBytes(4).toString('hex');
const table = `api_items_${suffix}`;
const token = `api-token-${randomBytes(16).toString('hex')}`;
const apiKey = `sk-test-${randomBytes(12).toString('hex')}`;
const logLines: string[] = [];

function tempEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(path.join(os.tmpdir(), 'aishelld-api-'));
  return {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_STATE_HOME: path.join(home, 'state'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    AISHELL_HISTORY: 'off',
    ...extra,
  };
}

let app: DaemonServer;
let base = '';
let pg = '';
let pgPassword = '';
/** Every answer seen, to be checked against GET /openapi.json. */
const answers: { method: string; route: string; status: number; body: unknown }[] = [];

async function call(
  method: 'GET' | 'POST',
  route: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; doc: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const doc = res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : { text };
  answers.push({ method, route: route.split('?')[0] as string, status: res.status, body: doc });
  return { status: res.status, doc, headers: res.headers };
}

const query = (sql: string, extra: Record<string, unknown> = {}) =>
  call('POST', '/v1/query', { connection: pg, sql, ...extra });

async function metricsText(): Promise<string> {
  const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return res.text();
}

/** The value of one sample line (`name{labels} value`), 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

beforeAll(async () => {
  const url = new URL(await pgUrl());
  url.password = `pw-${randomBytes(8).toString('hex')}`;
  pgPassword = url.password;
  pg = url.toString();
  app = await buildServer({
    token,
    env: tempEnv({
      AISHELL_DAEMON_ALLOW_URLS: `${url.protocol}//${url.host}/`,
      AISHELL_REDIS_URL: await redisUrl(),
      AISHELL_CACHE_NAMESPACE: `aishelld-api-${suffix}`,
      OPENAI_API_KEY: apiKey,
    }),
    logLevel: 'trace',
    logDestination: { write: (line: string) => void logLines.push(line) },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`;
  for (const sql of [
    `create table ${table} (id integer primary key, name varchar(40) not null)`,
    `insert into ${table} (id, name) values (1, 'apple'), (2, 'pear'), (3, 'fig')`,
  ]) {
    const { status, doc } = await query(sql);
    expect(status, JSON.stringify(doc)).toBe(200);
  }
});

afterAll(async () => {
  if (!app) return;
  await query(`drop table if exists ${table}`, { confirm: true });
  await app.close();
});

describe('GET /metrics', () => {
  it('exposes query, pool, cache, error, guard, N+1 and process figures with bounded labels', async () => {
    const select = `select name from ${table} where id = $1`;
    // The same shape 12 times within a second on one connection: an N+1 suspicion; the repeats hit the cache.
    for (let i = 0; i < 12; i++) expect((await query(select, { params: [1] })).status).toBe(200);
    expect((await query(`update ${table} set name = 'apple' where id = 1`, { confirm: true })).status).toBe(
      200,
    );
    expect((await query(`delete from ${table}`)).status).toBe(422);
    expect((await query('select * from no_such_table')).status).toBe(502);
    const text = await metricsText();

    expect(text).toMatch(/^aishelld_query_duration_seconds_count\{kind="select",outcome="ok"\} [1-9]\d*$/m);
    expect(text).toMatch(/^aishelld_query_duration_seconds_count\{kind="update",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^aishelld_query_duration_seconds_count\{kind="delete",outcome="refused"\} 1$/m);
    expect(text).toMatch(/^aishelld_query_duration_seconds_count\{kind="select",outcome="error"\} 1$/m);
    const label = `postgres:${new URL(pg).hostname}:${new URL(pg).port || 5432}${new URL(pg).pathname}`;
    expect(
      sample(text, `aishelld_pool_connections{dialect="postgres",connection="${label}"}`),
    ).toBeGreaterThan(0);
    expect(text).toContain(`aishelld_pool_idle_connections{dialect="postgres",connection="${label}"}`);
    expect(text).toContain(`aishelld_pool_waiting_requests{dialect="postgres",connection="${label}"} 0`);
    expect(sample(text, 'aishelld_cache_hits_total')).toBeGreaterThanOrEqual(10);
    expect(sample(text, 'aishelld_cache_misses_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'aishelld_cache_invalidations_total')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^aishelld_cache_fills_refused_total \d+$/m);
    expect(sample(text, 'aishelld_errors_total{code="POOL_QUERY"}')).toBe(1);
    expect(sample(text, 'aishelld_errors_total{code="SAFETY_REFUSED"}')).toBe(1);
    expect(text).toMatch(
      /^aishelld_guard_refusals_total\{code="SAFETY_REFUSED",risk="(high|critical)"\} 1$/m,
    );
    expect(sample(text, 'aishelld_n_plus_one_suspicions_total')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^aishelld_process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^aishelld_nodejs_heap_size_used_bytes \d/m);

    // The text format: HELP and TYPE for every family, every sample line `name{k="v",...} number`.
    const families = new Set<string>();
    for (const line of text.split('\n').filter(Boolean)) {
      const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
      if (meta) {
        if (meta[1] === 'TYPE') {
          expect(['counter', 'gauge', 'histogram', 'summary', 'untyped']).toContain(meta[3]);
          families.add(meta[2] as string);
        }
        continue;
      }
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/.exec(line);
      expect(m, line).not.toBeNull();
      const name = m?.[1] as string;
      expect(
        [...families].some((f) => name === f || name.startsWith(`${f}_`)),
        `${name} without TYPE`,
      ).toBe(true);
      // Label values: never a URL, a password, SQL text or the token.
      for (const [, value] of (m?.[3] ?? '').matchAll(/[a-zA-Z_]+="((?:[^"\\]|\\.)*)"/g)) {
        expect(value).not.toContain('://');
        expect(value).not.toContain(pgPassword);
        expect(value).not.toContain(token);
        expect(value).not.toContain(table);
      }
    }
  });
});

describe('GET /v1/metrics', () => {
  it('answers the live per-statement figures of a window, the busiest first', async () => {
    for (let i = 0; i < 3; i++) await query(`select id from ${table} where name = $1`, { params: ['fig'] });
    const { status, doc } = await call('GET', '/v1/metrics?window=1m&top=50');
    expect(status).toBe(200);
    expect(doc).toMatchObject({ source: 'daemon', window: '1m', fingerprints: { max: 500 } });
    const top = doc.top as { text?: string; count: number; cacheHits: number; p99Millis: number }[];
    const shape = top.find((t) => t.text?.includes(`FROM ${table} WHERE name =`));
    expect(shape).toMatchObject({ count: 3 });
    expect(shape?.cacheHits).toBeGreaterThanOrEqual(2);
    expect((doc.overall as { count: number }).count).toBeGreaterThan(3);
    expect((await call('GET', '/v1/metrics?window=2m')).status).toBe(400);
  });
});

describe('the API routes', () => {
  it('GET /ready names the open sessions and Redis, all answering', async () => {
    const { status, doc } = await call('GET', '/ready');
    expect(status).toBe(200);
    const checks = doc.checks as { name: string; kind: string; ok: boolean }[];
    expect(checks.map((c) => [c.kind, c.ok])).toEqual(
      expect.arrayContaining([
        ['database', true],
        ['redis', true],
      ]),
    );
    expect(JSON.stringify(doc)).not.toContain('://');
  });

  it('POST /v1/analyze answers what `aishell sql analyze --json` prints', async () => {
    const sql = `select * from t where id in (1, 2); delete from t`;
    const { status, doc } = await call('POST', '/v1/analyze', { sql, dialect: 'postgres' });
    expect(status).toBe(200);
    expect(doc).toEqual(JSON.parse(toJson(await analyze(sql, 'postgres'))));
    expect((await call('POST', '/v1/analyze', { sql: 'select 1', dialect: 'oracle' })).status).toBe(400);
  });

  it('POST /v1/explain answers the plan document of `aishell explain --json`', async () => {
    const { status, doc } = await call('POST', '/v1/explain', {
      connection: pg,
      sql: `select * from ${table} where id = 2`,
    });
    expect(status, JSON.stringify(doc)).toBe(200);
    expect(doc).toMatchObject({ dialect: 'postgres', analyzed: false, nodeCount: expect.any(Number) });
    // ANALYZE of a write executes it: refused unless confirmed.
    const write = await call('POST', '/v1/explain', {
      connection: pg,
      sql: `delete from ${table} where id = 2`,
      analyze: true,
    });
    expect(write.status).toBe(422);
    expect((write.doc.error as { code: string }).code).toBe('SAFETY_REFUSED');
  });

  it('POST /v1/health answers the checks of `aishell health --json`, 400 for an unknown check', async () => {
    const { status, doc } = await call('POST', '/v1/health', { connection: pg, only: ['connections'] });
    expect(status, JSON.stringify(doc)).toBe(200);
    expect((doc.checks as { name: string }[]).map((c) => c.name)).toEqual(['connections']);
    const bad = await call('POST', '/v1/health', { connection: pg, only: ['no_such_check'] });
    expect(bad.status).toBe(400);
    expect((bad.doc.error as { code: string }).code).toBe('HEALTH_UNKNOWN_CHECK');
  });

  it('POST /v1/ask translates offline and runs read-only; a request to change data is refused', async () => {
    const { status, doc } = await call('POST', '/v1/ask', {
      connection: 'demo',
      question: 'show me all users',
    });
    expect(status, JSON.stringify(doc)).toBe(200);
    expect(doc).toMatchObject({ engine: 'offline', sql: expect.stringMatching(/^select/i) });
    expect((doc.result as { rowCount: number }).rowCount).toBeGreaterThan(0);
    const dry = await call('POST', '/v1/ask', {
      connection: 'demo',
      question: 'show me all users',
      dryRun: true,
    });
    expect(dry.status).toBe(200);
    expect(dry.doc.result).toBeUndefined();
    const write = await call('POST', '/v1/ask', { connection: 'demo', question: 'delete all customers' });
    expect(write.status).toBe(422);
  }, 60_000);

  it('answers 400 naming the problem of a malformed body, on every route', async () => {
    for (const [route, body, problem] of [
      ['/v1/query', { connection: pg, sql: 'select 1', readonly: true }, 'readonly'],
      ['/v1/ask', { connection: 'demo' }, 'question'],
      ['/v1/analyze', { sql: '' }, 'sql'],
      ['/v1/explain', { connection: pg, sql: 'select 1', analyse: true }, 'analyse'],
      ['/v1/health', { connection: pg, maxObjects: -1 }, 'maxObjects'],
    ] as const) {
      const { status, doc } = await call('POST', route, body);
      expect(status, route).toBe(400);
      const error = doc.error as { code: string; message: string };
      expect(error.code).toBe('DAEMON_BAD_REQUEST');
      expect(error.message, route).toContain(problem);
    }
  });

  it('cancels a request that runs longer than the request timeout: 504 DAEMON_TIMEOUT', async () => {
    const short = await buildServer({
      token,
      env: tempEnv({ AISHELL_DAEMON_ALLOW_URLS: `${new URL(pg).protocol}//${new URL(pg).host}/` }),
      processMetrics: false,
      logLevel: 'silent',
      requestTimeoutMillis: 300,
    });
    try {
      await short.listen({ host: '127.0.0.1', port: 0 });
      const at = `http://127.0.0.1:${(short.server.address() as net.AddressInfo).port}`;
      const res = await fetch(`${at}/v1/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ connection: pg, sql: 'select pg_sleep(20)' }),
      });
      expect(res.status).toBe(504);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('DAEMON_TIMEOUT');
    } finally {
      await short.close();
    }
  });

  it('GET /openapi.json describes every route, and every answer seen matches its schema', async () => {
    const { status, doc } = await call('GET', '/openapi.json');
    expect(status).toBe(200);
    const paths = doc.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths).sort()).toEqual(
      [
        '/health',
        '/metrics',
        '/openapi.json',
        '/ready',
        '/v1/analyze',
        '/v1/ask',
        '/v1/explain',
        '/v1/health',
        '/v1/metrics',
        '/v1/query',
      ].sort(),
    );
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema(doc, 'openapi');
    const pointer = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');
    const checked = new Set<string>();
    for (const a of answers) {
      if (a.route === '/openapi.json') continue;
      const operation = paths[a.route]?.[a.method.toLowerCase()] as { responses: Record<string, unknown> };
      expect(operation, `${a.method} ${a.route}`).toBeDefined();
      expect(operation.responses[a.status], `${a.method} ${a.route} ${a.status} documented`).toBeDefined();
      const validate = ajv.getSchema(
        `openapi#/paths/${pointer(a.route)}/${a.method.toLowerCase()}/responses/${a.status}/content/application~1json/schema`,
      );
      expect(validate, `${a.method} ${a.route} ${a.status}`).toBeDefined();
      const ok = validate?.(a.body);
      expect(ok, `${a.method} ${a.route} ${a.status}: ${JSON.stringify(validate?.errors)}`).toBe(true);
      checked.add(`${a.route} ${a.status}`);
    }
    // Successes and errors of every JSON route were checked.
    for (const key of [
      '/v1/query 200',
      '/v1/query 422',
      '/v1/query 502',
      '/v1/query 400',
      '/v1/ask 200',
      '/v1/analyze 200',
      '/v1/explain 200',
      '/v1/health 200',
      '/v1/health 400',
      '/v1/metrics 200',
      '/ready 200',
    ])
      expect(checked).toContain(key);
  });
});

describe('logging', () => {
  it('writes JSON lines with request ids, and never the token, a password or an API key', async () => {
    // Requests that carry all three: the token in its header, a password in the URL, an API key in a
    // header, in a parameter, in a question and in a wrong token.
    await query(`select name from ${table} where name = $1`, { params: [apiKey] });
    await call(
      'POST',
      '/v1/query',
      { connection: pg, sql: 'select 1' },
      { 'x-api-key': apiKey, 'x-request-id': 'client-req-42' },
    );
    await call('POST', '/v1/ask', { connection: 'demo', question: `show me all users named ${apiKey}` });
    await call('POST', '/v1/query', {
      connection: pg.replace(pgPassword, `${pgPassword}x`),
      sql: 'select 1',
    });
    await fetch(`${base}/v1/query`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` } });
    const log = logLines.join('');
    expect(logLines.length).toBeGreaterThan(20);
    expect(log).not.toContain(token);
    expect(log).not.toContain(pgPassword);
    expect(log).not.toContain(apiKey);
    expect(log).not.toContain(apiKey.slice(8));
    const lines = logLines.map((l) => JSON.parse(l) as { msg?: string; reqId?: string; route?: string });
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThan(10);
    for (const line of requests) expect(line.reqId).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
    expect(requests.some((l) => l.reqId === 'client-req-42')).toBe(true);
  }, 60_000);
});

describe('listening', () => {
  it('refuses a non-loopback address unless the token was set up before the start', async () => {
    const env = tempEnv();
    await expect(buildServer({ env, host: '0.0.0.0', logLevel: 'silent' })).rejects.toMatchObject({
      code: 'DAEMON_CONFIG',
      message: expect.stringContaining('without a token set up beforehand'),
    });
    const withToken = await buildServer({
      env: { ...env, AISHELL_DAEMON_TOKEN: randomBytes(16).toString('hex') },
      host: '0.0.0.0',
      logLevel: 'silent',
      processMetrics: false,
    });
    await withToken.close();
    const loopback = await buildServer({
      env: tempEnv(),
      host: '127.0.0.1',
      logLevel: 'silent',
      processMetrics: false,
    });
    await loopback.close();
  });
});

describe('GET /ready with a Redis that does not answer', () => {
  it('answers 503 naming Redis', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const down = await buildServer({
      token,
      env: tempEnv({ AISHELL_REDIS_URL: `redis://127.0.0.1:${port}/0` }),
      processMetrics: false,
      logLevel: 'silent',
    });
    try {
      await down.listen({ host: '127.0.0.1', port: 0 });
      const at = `http://127.0.0.1:${(down.server.address() as net.AddressInfo).port}`;
      const res = await fetch(`${at}/ready`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(503);
      const doc = (await res.json()) as {
        ready: boolean;
        checks: { name: string; ok: boolean; code?: string }[];
      };
      expect(doc.ready).toBe(false);
      expect(doc.checks).toEqual([
        expect.objectContaining({ name: 'redis', ok: false, code: expect.any(String) }),
      ]);
    } finally {
      await down.close();
    }
  });
});
