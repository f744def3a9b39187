import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pgUrl } from '@aishell/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from './run-cli.js';

const suffix = Math.random().toString(36).slice(2, 8);
const table = `cli_health_${suffix}`;
let url: string;
let client: pg.Client;

beforeAll(async () => {
  url = await pgUrl();
  client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create table ${table} (id int primary key, a int, b int)`);
  await client.query(`insert into ${table} select g, g % 100, g % 7 from generate_series(1, 2000) g`);
});
afterAll(async () => {
  await client.query(`drop table if exists ${table}`);
  await client.end();
});

describe('aishell health', () => {
  it('exits 0 when every check asked for is ok, and prints the JSON of PRODUCT.md', async () => {
    const r = await runCli(['health', '-c', url, '--only', 'invalid_indexes,connections', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.dialect).toBe('postgres');
    expect(doc.checks.map((c: { name: string }) => c.name)).toEqual(['connections', 'invalid_indexes']);
    for (const c of doc.checks)
      expect(Object.keys(c)).toEqual(
        expect.arrayContaining(['name', 'status', 'value', 'threshold', 'objects', 'fix', 'reason']),
      );
  });

  it('exits 8 on a warning (a duplicate index) and 0 after its fix', async () => {
    await client.query(`create index ${table}_a on ${table} (a)`);
    await client.query(`create index ${table}_ab on ${table} (a, b)`);
    const warned = await runCli(['health', '-c', url, '--only', 'duplicate_indexes']);
    expect(warned.code, warned.stdout + warned.stderr).toBe(8);
    expect(warned.stdout).toMatch(new RegExp(`WARN duplicate_indexes[\\s\\S]*${table}_a`));
    await client.query(`drop index ${table}_a`);
    expect((await runCli(['health', '-c', url, '--only', 'duplicate_indexes'])).code).toBe(0);
  });

  it('exits 9 on a critical finding (foreign keys violated in a SQLite file)', async () => {
    const env = tempHome();
    const file = path.join(env.HOME as string, 'fk.db');
    const sqlite = `sqlite://${file}`;
    const setup =
      'pragma foreign_keys = off; create table p (id integer primary key); ' +
      'create table c (id integer primary key, p integer references p(id)); insert into c values (1, 42)';
    const made = await runCli(['query', setup, '-c', sqlite], { env });
    expect(made.code, made.stderr).toBe(0);
    const r = await runCli(['health', '-c', sqlite, '--json'], { env });
    expect(r.code, r.stderr).toBe(9);
    expect(JSON.parse(r.stdout).checks.find((c: { name: string }) => c.name === 'foreign_keys').status).toBe(
      'crit',
    );
  });

  it('refuses an unknown check or a malformed threshold with exit 2 and the valid names', async () => {
    const unknown = await runCli(['health', '-c', url, '--only', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/nope[\s\S]*connections/);
    const bad = await runCli(['health', '-c', url, '--threshold', 'connections_ratio']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')[0]).toMatch(/expected name=number/);
  });
});

describe('aishell explain', () => {
  it('prints the JSON of PRODUCT.md for a plan of the connection', async () => {
    const r = await runCli(['explain', `select * from ${table} where b = 3`, '-c', url, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ dialect: 'postgres', plan: { nodeType: 'Seq Scan', relation: table } });
    expect(Array.isArray(doc.findings)).toBe(true);
    expect(typeof doc.summary).toBe('string');
  });

  it('refuses to execute a write under --analyze without --yes (exit 5), and rolls it back with it', async () => {
    const refused = await runCli(['explain', `delete from ${table} where id < 100`, '-c', url, '--analyze']);
    expect(refused.code).toBe(5);
    const ran = await runCli([
      'explain',
      `delete from ${table} where id < 100`,
      '-c',
      url,
      '--analyze',
      '--yes',
      '--json',
    ]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout).plan.nodeType).toBe('ModifyTable');
    expect((await client.query(`select count(*)::int as n from ${table}`)).rows[0].n).toBe(2000);
  });

  it('reads a plan saved from psql without connecting, and names the line of one it cannot read', async () => {
    const env = tempHome();
    // What psql itself prints (header, dashes, a leading space, the row count).
    const u = new URL(url);
    const text = execFileSync(
      'psql',
      [
        '-h',
        u.hostname,
        '-p',
        u.port || '5432',
        '-U',
        u.username,
        '-d',
        u.pathname.slice(1),
        '-c',
        `explain analyze select * from ${table} order by b`,
      ],
      { encoding: 'utf8' },
    );
    expect(text).toMatch(/QUERY PLAN *\n-+\n Sort/);
    const file = path.join(env.HOME as string, 'plan.txt');
    writeFileSync(file, text);
    const r = await runCli(['explain', '--plan-file', file, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).plan.nodeType).toBe('Sort');
    const piped = await runCli(['explain', '--plan-file', '-'], { env, input: '{ "Plan": [ oops' });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toMatch(/line 1/);
  });
});
