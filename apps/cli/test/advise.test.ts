// `aishell advise` as a person runs it, on databases of this file's own (pg_stat_statements is shared by
// the whole server: its rows are read for the current database only).
import path from 'node:path';
import { pgUrl } from '@aishell/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from './run-cli.js';

const suffix = Math.random().toString(36).slice(2, 8);
let base: URL;
let url: string;
let bareUrl: string;
let client: pg.Client;
const names: string[] = [];

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: base.toString() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function database(tag: string): Promise<string> {
  const name = `${decodeURIComponent(base.pathname.slice(1))}_${tag}_${suffix}`;
  await admin((c) => c.query(`create database "${name}"`));
  names.push(name);
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

beforeAll(async () => {
  base = new URL(await pgUrl());
  url = await database('cliadv');
  bareUrl = await database('clibare');
  client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('create extension hypopg');
  await client.query('create extension pg_stat_statements');
  await client.query(
    'create table orders (id serial primary key, customer_id int not null, status text not null, total int not null)',
  );
  await client.query(
    "insert into orders (customer_id, status, total) select g % 1000, (array['new','paid','shipped'])[g % 3 + 1], g % 500 from generate_series(1, 50000) g",
  );
  await client.query('create index orders_status on orders (status)');
  await client.query('create index orders_status_total on orders (status, total)');
  await client.query('analyze orders');
  await client.query('select pg_stat_statements_reset()');
  const worker = new pg.Client({ connectionString: url });
  await worker.connect();
  for (let i = 0; i < 20; i++) await worker.query('select * from orders where customer_id = $1', [i]);
  await worker.end();
}, 120_000);

afterAll(async () => {
  await client?.end();
  await admin(async (c) => {
    for (const n of names) await c.query(`drop database if exists "${n}" with (force)`);
  });
});

describe('aishell advise', () => {
  it('advises from the top of pg_stat_statements and prints the JSON of the issue (exit 0)', async () => {
    const r = await runCli(['advise', '--top', '5', '-c', url, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.source).toBe('pg_stat_statements');
    expect(doc.indexes).toHaveLength(1);
    const [index] = doc.indexes;
    expect(Object.keys(index)).toEqual(
      expect.arrayContaining([
        'table',
        'columns',
        'sql',
        'costBefore',
        'costAfter',
        'proven',
        'statements',
        'sizeBytes',
      ]),
    );
    expect(index).toMatchObject({
      table: 'orders',
      columns: ['customer_id'],
      proven: true,
      sql: 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id);',
      statements: ['select * from orders where customer_id = $1'],
    });
    expect(index.costAfter).toBeLessThan(index.costBefore / 2);
    expect(index.sizeBytes).toBeGreaterThan(0);
    const duplicate = doc.drop.find((d: { index: string }) => d.index === 'public.orders_status');
    expect(Object.keys(duplicate)).toEqual(expect.arrayContaining(['index', 'reason', 'sizeBytes']));
    expect(duplicate.reason).toMatch(/duplicate/);
    expect(doc.statements.find((s: { sql: string }) => s.sql.includes('customer_id'))).toMatchObject({
      calls: 20,
    });
  });

  it('shows the advice, the cost drop and the indexes to drop to a person', async () => {
    const r = await runCli(['advise', 'select * from orders where customer_id = 7', '-c', url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/proven with HypoPG/);
    expect(r.stdout).toMatch(
      /CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public\.orders \(customer_id\);/,
    );
    expect(r.stdout).toMatch(/cost [\d,]+ -> [\d.,]+ \(-\d+ %\), about [\d.]+ (MB|kB)/);
    expect(r.stdout).toMatch(
      /Indexes to drop:\n {2}DROP INDEX CONCURRENTLY public\.orders_status;\n {4}duplicate: orders_status_total/,
    );
  });

  it('refuses --create without --yes where nobody can be asked (exit 5), in one line', async () => {
    const r = await runCli(['advise', 'select * from orders where customer_id = 7', '-c', url, '--create']);
    expect(r.code, r.stderr).toBe(5);
    const errorLines = r.stderr.split('\n').filter((l) => l.startsWith('aishell: '));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(/refused: .*CREATE INDEX CONCURRENTLY/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const j = await runCli([
      'advise',
      'select * from orders where customer_id = 7',
      '-c',
      url,
      '--create',
      '--json',
    ]);
    expect(j.code).toBe(5);
    expect(JSON.parse(j.stdout).error.code).toBe('SAFETY_REFUSED');
    const { rows } = await client.query(
      "select count(*)::int as n from pg_indexes where indexname = 'orders_customer_id_idx'",
    );
    expect(rows[0].n).toBe(0);
  });

  it('exits 2 on bad flags, with one line and no stack trace', async () => {
    for (const args of [
      ['advise', '--top', '0'],
      ['advise', '--bogus'],
      ['advise', 'select 1', '--top', '3'],
      ['advise', '--min-mean-ms', 'slow'],
      ['advise', '--yes'],
    ]) {
      const r = await runCli([...args, '-c', url]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n')[0]).toMatch(/^aishell: |Error/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('says how to get pg_stat_statements and HypoPG where they are missing', async () => {
    const top = await runCli(['advise', '-c', bareUrl, '--json']);
    expect(top.code).toBe(4);
    const { error } = JSON.parse(top.stdout);
    expect(error.code).toBe('ADVISE_NO_STATEMENT_STATS');
    expect(error.hint).toMatch(/CREATE EXTENSION pg_stat_statements/);
    const bare = await runCli(['advise', 'select * from pg_class where relname = $1', '-c', bareUrl]);
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stdout).toMatch(/not proven.*\n.*CREATE EXTENSION hypopg/);
  });

  it('builds the index with --create --yes, and the real plan then uses it', async () => {
    const r = await runCli([
      'advise',
      'select * from orders where customer_id = 7',
      '-c',
      url,
      '--create',
      '--yes',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.created).toMatchObject([{ name: 'orders_customer_id_idx', table: 'orders' }]);
    const { rows } = await client.query('explain (format json) select * from orders where customer_id = 7');
    expect(JSON.stringify(rows)).toContain('orders_customer_id_idx');
    const again = await runCli(['advise', 'select * from orders where customer_id = 7', '-c', url, '--json']);
    expect(JSON.parse(again.stdout).indexes).toEqual([]);
  });

  it('gives unproven candidates on SQLite, from a file of statements', async () => {
    const env = tempHome();
    const db = `sqlite://${path.join(env.HOME as string, 'a.db')}`;
    const made = await runCli(['query', 'create table t (id integer primary key, a int, b text)', '-c', db], {
      env,
    });
    expect(made.code, made.stderr).toBe(0);
    const r = await runCli(['advise', '-', '-c', db, '--json'], {
      env,
      input: 'select * from t where a = 1;\nselect * from t order by b;\n',
    });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.proven).toBe(false);
    expect(doc.indexes.map((i: { columns: string[] }) => i.columns)).toEqual([['a'], ['b']]);
    expect(doc.indexes[0].reason).toMatch(/sqlite3_expert/);
    expect(doc.drop).toEqual([]);
  });
});
