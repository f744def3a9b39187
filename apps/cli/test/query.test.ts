import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mysqlUrl, pgUrl } from '@aishell/testing';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from './run-cli.js';

type Engine = 'postgres' | 'mysql' | 'sqlite';
const suffix = Math.random().toString(36).slice(2, 8);
const table = `cli_items_${suffix}`;
const urls = {} as Record<Engine, string>;
const env = tempHome();

const SETUP = [
  `create table ${table} (id integer primary key, name varchar(40) not null, price numeric(10,2))`,
  `insert into ${table} (id, name, price) values (1, 'apple', 1.50), (2, 'pear', 2.25), (3, 'fig', null)`,
];

beforeAll(async () => {
  urls.postgres = await pgUrl();
  urls.mysql = await mysqlUrl();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-sqlite-'));
  urls.sqlite = `sqlite://${path.join(dir, 'test.db')}`;
  for (const engine of ['postgres', 'mysql', 'sqlite'] as const) {
    for (const sql of SETUP) {
      const r = await runCli(['query', sql, '-c', urls[engine], '--json']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
  }
});

afterAll(async () => {
  const c = new pg.Client({ connectionString: urls.postgres });
  await c.connect();
  await c.query(`drop table if exists ${table}`);
  await c.end();
  const m = await mysql.createConnection(urls.mysql);
  await m.query(`drop table if exists ${table}`);
  await m.end();
});

describe.each(['postgres', 'mysql', 'sqlite'] as const)('aishell query on %s', (engine) => {
  it('prints the JSON document of PRODUCT.md', async () => {
    const r = await runCli([
      'query',
      `select id, name from ${table} where id <= 2 order by id`,
      '-c',
      urls[engine],
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      command: 'SELECT',
      rowCount: 2,
      rows: [
        { id: 1, name: 'apple' },
        { id: 2, name: 'pear' },
      ],
      cached: false,
    });
    expect(doc.fields.map((f: { name: string }) => f.name)).toEqual(['id', 'name']);
    expect(typeof doc.fields[0].type).toBe('string');
    expect(typeof doc.durationMs).toBe('number');
  });

  it('returns one result per statement of a script, with ; inside a literal', async () => {
    const r = await runCli([
      'query',
      `select 'a;b' as s; select count(*) as n from ${table}`,
      '-c',
      urls[engine],
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.results).toHaveLength(2);
    expect(doc.results[0].rows).toEqual([{ s: 'a;b' }]);
    expect(Number(doc.results[1].rows[0].n)).toBe(3);
  });

  it('writes csv with a header and empty NULLs', async () => {
    const r = await runCli([
      'query',
      `select id, name, price from ${table} order by id`,
      '-c',
      urls[engine],
      '--format',
      'csv',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('id,name,price');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('3,fig,');
  });

  it('writes one JSON object per row with --format ndjson', async () => {
    const r = await runCli([
      'query',
      `select id from ${table} order by id`,
      '-c',
      urls[engine],
      '--format',
      'ndjson',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
    ).toEqual([1, 2, 3]);
  });

  it('prints an aligned table with a row count', async () => {
    const r = await runCli(['query', `select id, name from ${table} order by id`, '-c', urls[engine]]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ id \| name\s*$/);
    expect(lines[1]).toMatch(/^-+\+-+$/);
    expect(lines[2]).toBe('  1 | apple');
    expect(lines.at(-1)).toBe('(3 rows)');
  });

  it('prints a Markdown table', async () => {
    const r = await runCli([
      'query',
      `select id, name from ${table} where id = 1`,
      '-c',
      urls[engine],
      '--format',
      'markdown',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['| id | name |', '| ---: | --- |', '| 1 | apple |']);
  });

  it('reads SQL from stdin with - and from --file', async () => {
    const viaStdin = await runCli(['query', '-', '-c', urls[engine], '--json'], {
      input: `select name from ${table} where id = 2`,
    });
    expect(JSON.parse(viaStdin.stdout).rows).toEqual([{ name: 'pear' }]);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'aishell-sqlfile-')), 'q.sql');
    writeFileSync(file, `-- a comment; with a semicolon\nselect name from ${table} where id = 3;\n`);
    const viaFile = await runCli(['query', '--file', file, '-c', urls[engine], '--json']);
    expect(viaFile.code, viaFile.stderr).toBe(0);
    expect(JSON.parse(viaFile.stdout).rows).toEqual([{ name: 'fig' }]);
  });

  it('exits 4 with the server message for an unknown table', async () => {
    const r = await runCli(['query', `select * from no_such_table_${suffix}`, '-c', urls[engine], '--json']);
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    expect(doc.error.code).toBe('POOL_QUERY');
    expect(doc.error.message).toMatch(new RegExp(`no_such_table_${suffix}`));
  });

  it('refuses a DELETE without WHERE (exit 5) and sends nothing', async () => {
    const r = await runCli(['query', `delete from ${table}`, '-c', urls[engine]]);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/DELETE without WHERE/i);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const count = await runCli(['query', `select count(*) as n from ${table}`, '-c', urls[engine], '--json']);
    expect(Number(JSON.parse(count.stdout).rows[0].n)).toBe(3);
  });

  it('refuses a write under --read-only before it reaches the server (exit 5)', async () => {
    const r = await runCli([
      'query',
      `insert into ${table} (id, name) values (99, 'x')`,
      '-c',
      urls[engine],
      '--read-only',
      '--json',
    ]);
    expect(r.code).toBe(5);
    expect(JSON.parse(r.stdout).error.code).toBe('SAFETY_READ_ONLY');
    const count = await runCli(['query', `select count(*) as n from ${table}`, '-c', urls[engine], '--json']);
    expect(Number(JSON.parse(count.stdout).rows[0].n)).toBe(3);
  });
});

describe('aishell query failures', () => {
  it('exits 2 for a malformed URL without echoing its password', async () => {
    const r = await runCli(['query', 'select 1', '-c', 'postgres://bob:hunter2secret@db.example:notaport/x']);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).not.toContain('hunter2secret');
    expect(r.stderr).toMatch(/port/i);
  });

  it('exits 3 within the connect timeout when the server is unreachable', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const r = await runCli(['query', 'select 1', '-c', `postgres://postgres@127.0.0.1:${port}/x`], {
      timeoutMs: 20_000,
    });
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(2);
  });

  it('exits 3 on a wrong password and never shows the password', async () => {
    const admin = await mysql.createConnection(urls.mysql);
    const user = `aishell_pw_${suffix}`;
    await admin.query(`create user '${user}'@'%' identified by 'right-horse-battery'`);
    try {
      const url = new URL(urls.mysql);
      url.username = user;
      url.password = 'WrongPass-s3cr3t';
      const r = await runCli(['query', 'select 1', '-c', url.toString(), '--verbose']);
      expect(r.code).toBe(3);
      expect(r.stdout + r.stderr).not.toContain('WrongPass-s3cr3t');
      const j = await runCli(['query', 'select 1', '-c', url.toString(), '--json']);
      expect(j.code).toBe(3);
      expect(JSON.parse(j.stdout).error.code).toBe('POOL_AUTH');
      expect(j.stdout + j.stderr).not.toContain('WrongPass-s3cr3t');
    } finally {
      await admin.query(`drop user '${user}'@'%'`);
      await admin.end();
    }
  });

  it.each([[[]], [['--read-only']]])(
    'streams a million rows as ndjson in bounded memory %j',
    async (extra: string[]) => {
      // 48 MB of heap cannot hold a million row objects at once: this passes only if rows stream.
      const r = await runCli(
        [
          'query',
          'select g as n, md5(g::text) as h from generate_series(1, 1000000) as g',
          '-c',
          urls.postgres,
          '--format',
          'ndjson',
          ...extra,
        ],
        { env: { NODE_OPTIONS: '--max-old-space-size=48' }, timeoutMs: 170_000 },
      );
      expect(r.code, r.stderr.slice(0, 500)).toBe(0);
      const lines = r.stdout.split('\n');
      expect(lines.length - 1).toBe(1_000_000);
      expect(JSON.parse(lines[999_999] as string).n).toBe(1_000_000);
    },
    180_000,
  );
});

describe('aishell query with no connection configured', () => {
  it('uses the embedded demo database', async () => {
    const r = await runCli(['query', 'select count(*)::int as n from customers', '--json'], {
      env,
      timeoutMs: 280_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).rows[0].n).toBeGreaterThanOrEqual(1000);
  }, 300_000);
});
