// aishell backup through the built binary: the --json documents of create and list, verify's exit codes
// (0, and 4 for a damaged archive), restore's exit 5 over tables without --yes, one-line errors, prune,
// the demo (PGlite) and MariaDB, and Ctrl-C in the middle of a dump leaving nothing behind.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mysqlUrl, pgUrl, suffix } from '@aishell/testing';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, tempHome } from './run-cli.js';

const env = tempHome();
const dir = path.join(env.HOME as string, 'backups');
const source = `aishell_test_h14_${suffix()}`;
const target = `aishell_test_h14_${suffix()}`;
const big = `aishell_test_h14_${suffix()}`;
const myDb = `aishell_test_h14_${suffix()}`;
let admin: pg.Client;
let base: string;
const url = (db: string) => {
  const u = new URL(base);
  u.pathname = `/${db}`;
  return u.toString();
};

interface Entry {
  id: string;
  path: string;
  engine: string;
  database: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
  tables: { name: string; rows: number }[];
}

async function created(args: string[]): Promise<Entry> {
  const r = await runCli(['backup', 'create', ...args, '--to', dir, '--json'], { env, timeoutMs: 120_000 });
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Entry;
}

beforeAll(async () => {
  base = await pgUrl();
  admin = new pg.Client({ connectionString: url('postgres') });
  await admin.connect();
  for (const db of [source, target, big]) await admin.query(`create database "${db}"`);
  const s = new pg.Client({ connectionString: url(source) });
  await s.connect();
  await s.query('create table customers (id serial primary key, email text unique not null)');
  await s.query(
    'create table orders (id serial primary key, customer_id int references customers (id), total numeric)',
  );
  await s.query("insert into customers (email) select 'c' || g || '@x.org' from generate_series(1, 50) g");
  await s.query(
    'insert into orders (customer_id, total) select 1 + g % 50, g from generate_series(1, 200) g',
  );
  await s.end();
  const b = new pg.Client({ connectionString: url(big) });
  await b.connect();
  await b.query('create table big (id int primary key, body text)');
  await b.query(
    'insert into big select g, md5(g::text) || md5((g * 3)::text) from generate_series(1, 400000) g',
  );
  await b.end();
}, 120_000);

afterAll(async () => {
  for (const db of [source, target, big]) await admin.query(`drop database if exists "${db}" with (force)`);
  await admin.end();
});

describe('aishell backup on PostgreSQL', () => {
  let entry: Entry;

  it('create --json prints the catalog entry with its id, and list --json shows it', async () => {
    entry = await created(['-c', url(source)]);
    expect(entry).toMatchObject({
      id: expect.stringMatching(new RegExp(`^${source}-\\d{8}T\\d{6}Z-[0-9a-f]{4}$`)),
      engine: 'postgres',
      database: source,
      format: 'pg_dump-custom',
      tool: 'pg_dump',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      tables: [
        { name: 'public.customers', rows: 50 },
        { name: 'public.orders', rows: 200 },
      ],
    });
    expect(Object.keys(entry)).toEqual(
      expect.arrayContaining([
        'id',
        'path',
        'engine',
        'serverVersion',
        'database',
        'sizeBytes',
        'sha256',
        'createdAt',
        'durationMs',
        'tool',
        'toolVersion',
        'tables',
      ]),
    );
    expect(statSync(entry.path).size).toBe(entry.sizeBytes);
    const list = await runCli(['backup', 'list', '--dir', dir, '--json'], { env });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual({ backups: [entry] });
  });

  it('verify exits 0 after restoring into a scratch database on the same server, which is dropped', async () => {
    const r = await runCli(['backup', 'verify', '--dir', dir, '--json'], { env, timeoutMs: 120_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      id: entry.id,
      ok: true,
      rowDifferences: [],
      schemaDifferences: [],
      tables: entry.tables,
    });
    const scratch = /^(aishell_scratch_[0-9a-f]{12}) on /.exec(doc.scratch)?.[1];
    expect(scratch).toBeDefined();
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [scratch]);
    expect(rowCount).toBe(0);
  });

  it('restore exits 5 over tables without --yes, and restores into an empty database', async () => {
    const refused = await runCli(['backup', 'restore', entry.id, '--to', url(source), '--dir', dir], { env });
    expect(refused.code).toBe(5);
    expect(refused.stderr.split('\n')[0]).toBe(
      `aishell: ${url(source)} is not empty (4 tables, views or sequences): nothing was restored`,
    );
    const json = await runCli(['backup', 'restore', entry.id, '--to', url(source), '--dir', dir, '--json'], {
      env,
    });
    expect(json.code).toBe(5);
    expect(JSON.parse(json.stdout).error.code).toBe('BACKUP_TARGET_NOT_EMPTY');
    const r = await runCli(['backup', 'restore', entry.id, '--to', url(target), '--dir', dir, '--json'], {
      env,
      timeoutMs: 120_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      id: entry.id,
      tables: entry.tables,
      rowDifferences: [],
      replaced: false,
    });
  });

  it('refuses a damaged archive by its checksum: verify and restore exit 4 with one line', async () => {
    const copy = await created(['-c', url(source)]);
    const bytes = readFileSync(copy.path);
    bytes[100] = (bytes[100] ?? 0) ^ 0x01;
    writeFileSync(copy.path, bytes);
    const r = await runCli(['backup', 'verify', copy.id, '--dir', dir], { env });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      new RegExp(
        `^aishell: the archive of ${copy.id} is damaged: its sha256 is [0-9a-f]{16}… \\(\\d+ bytes\\), the catalog recorded`,
      ),
    );
    const json = await runCli(
      ['backup', 'restore', copy.id, '--to', url(target), '--yes', '--dir', dir, '--json'],
      { env },
    );
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'BACKUP_CHECKSUM' });
  });

  it('names an unknown id in one line (exit 2) and wants an id and --to for restore', async () => {
    const r = await runCli(['backup', 'verify', 'nope', '--dir', dir], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `aishell: no backup nope in ${dir}\nhint: list them with \`aishell backup list\`\n`,
    );
    expect((await runCli(['backup', 'restore', '--dir', dir], { env })).code).toBe(2);
    expect((await runCli(['backup', 'restore', entry.id, '--dir', dir], { env })).code).toBe(2);
  });

  it('exits 3 with what to install when pg_dump is older than the server', async () => {
    const bin = path.join(env.HOME as string, 'old-bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'pg_dump'), '#!/bin/sh\necho "pg_dump (PostgreSQL) 11.22"\n', {
      mode: 0o755,
    });
    const r = await runCli(['backup', 'create', '-c', url(source), '--to', dir], {
      env: { ...env, AISHELL_BACKUP_BIN: bin },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /^aishell: pg_dump 11\.22 is older than the PostgreSQL 15 server: it cannot dump or restore it\nhint: install the PostgreSQL 15 client \(Debian\/Ubuntu: apt-get install postgresql-client-15/,
    );
  });

  it('prune --keep removes the oldest from the catalog and disk', async () => {
    const before = JSON.parse((await runCli(['backup', 'list', '--dir', dir, '--json'], { env })).stdout)
      .backups as Entry[];
    expect(before).toHaveLength(2);
    const r = await runCli(['backup', 'prune', '--keep', '1', '--dir', dir, '--json'], { env });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.removed.map((e: Entry) => e.id)).toEqual([before[0]?.id]);
    expect(doc.kept.map((e: Entry) => e.id)).toEqual([before[1]?.id]);
    expect(existsSync(before[0]?.path ?? '')).toBe(false);
  });

  it('stops pg_dump on Ctrl-C and leaves nothing in the catalog or on disk', async () => {
    const catalog = path.join(env.HOME as string, 'interrupted');
    const child = spawn(process.execPath, [BIN, 'backup', 'create', '-c', url(big), '--to', catalog], {
      env: { ...process.env, ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Interrupted once pg_dump has written part of the archive.
    let partialBytes = 0;
    for (let i = 0; i < 400 && partialBytes < 200_000; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const partial = existsSync(catalog)
        ? readdirSync(catalog).find((f) => f.endsWith('.partial'))
        : undefined;
      if (partial) partialBytes = statSync(path.join(catalog, partial)).size;
    }
    expect(partialBytes).toBeGreaterThanOrEqual(200_000);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('aishell: interrupted');
    expect(readdirSync(catalog)).toEqual([]);
    const list = await runCli(['backup', 'list', '--dir', catalog, '--json'], { env });
    expect(JSON.parse(list.stdout)).toEqual({ backups: [] });
    await new Promise((r) => setTimeout(r, 300));
    const ps = execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' });
    expect(ps.split('\n').filter((l) => l.includes('pg_dump') && l.includes(big))).toEqual([]);
  }, 60_000);
});

describe('aishell backup on the demo and on MariaDB', () => {
  it('creates, verifies and restores the demo (PGlite) into a folder', async () => {
    const entry = await created(['-c', 'demo']);
    expect(entry).toMatchObject({
      engine: 'pglite',
      format: 'pglite-datadir',
      database: 'demo',
      tool: 'PGlite dumpDataDir',
    });
    expect(entry.tables.length).toBeGreaterThan(3);
    const v = await runCli(['backup', 'verify', entry.id, '--dir', dir, '--json'], {
      env,
      timeoutMs: 120_000,
    });
    expect(v.code, v.stderr).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, tables: entry.tables });
    const to = `pglite://${path.join(env.HOME as string, 'demo-copy')}`;
    const r = await runCli(['backup', 'restore', entry.id, '--to', to, '--dir', dir, '--json'], {
      env,
      timeoutMs: 120_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ tables: entry.tables, rowDifferences: [] });
  }, 240_000);

  it('creates and verifies a MariaDB database with mariadb-dump', async () => {
    const my = await mysqlUrl();
    const u = new URL(my);
    u.pathname = '/';
    const conn = await mysql.createConnection(u.toString());
    await conn.query(`create database \`${myDb}\``);
    try {
      await conn.query(`create table \`${myDb}\`.items (id int primary key, name varchar(20))`);
      await conn.query(`insert into \`${myDb}\`.items values (1, 'a'), (2, 'b')`);
      u.pathname = `/${myDb}`;
      const entry = await created(['-c', u.toString()]);
      expect(entry).toMatchObject({
        engine: 'mysql',
        tool: 'mariadb-dump',
        tables: [{ name: 'items', rows: 2 }],
      });
      const v = await runCli(['backup', 'verify', entry.id, '--dir', dir, '--json'], {
        env,
        timeoutMs: 120_000,
      });
      expect(v.code, v.stderr).toBe(0);
      expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, rowDifferences: [], schemaDifferences: [] });
    } finally {
      await conn.query(`drop database if exists \`${myDb}\``);
      await conn.end();
    }
  }, 120_000);
});
