// `aishell migrate test` as a person runs it: exit 0 when every migration passes, 4 when one fails, 8 when
// statements are only flagged; the --json document; a bad path as a usage error; Ctrl-C mid-statement
// drops the scratch database and exits 130.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pgUrl, suffix } from '@aishell/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, tempHome } from './run-cli.js';

const FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../packages/engine/test-fixtures/migrations/postgres',
);
const targetDb = `aishell_test_mtcli_${suffix()}`;
let server: string;
let target: string;
let admin: pg.Client;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-cli-migrate-test-'));
function folder(name: string, files: Record<string, string>): string {
  const at = path.join(dir, name);
  mkdirSync(at, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(at, file), text);
  return at;
}

async function scratchDatabases(): Promise<string[]> {
  const r = await admin.query("select datname from pg_database where datname like 'aishell\\_scratch\\_%'");
  return r.rows.map((row: { datname: string }) => row.datname);
}

beforeAll(async () => {
  server = await pgUrl();
  admin = new pg.Client({ connectionString: withDatabase(server, 'postgres') });
  await admin.connect();
  await admin.query(`create database ${targetDb}`);
  target = withDatabase(server, targetDb);
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  await client.query(`create table accounts (id bigint generated always as identity primary key, email text not null unique,
      created_at timestamptz not null default now());
    create table orders (id serial primary key, account_id bigint not null references accounts (id),
      total numeric(10,2) not null default 0, meta jsonb);
    insert into accounts (email) select 'a' || g || '@example.com' from generate_series(1, 20) g;
    insert into orders (account_id, total) select 1 + g % 20, g from generate_series(1, 40) g;
    analyze accounts; analyze orders;`);
  await client.end();
});

afterAll(async () => {
  await admin.query(`drop database if exists ${targetDb} with (force)`);
  await admin.end();
});

describe('aishell migrate test', () => {
  it('exits 0 when every migration passes, with a block per migration', async () => {
    const r = await runCli(['migrate', 'test', path.join(FIXTURES, 'golang-migrate-good'), '-c', target]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^OK {2}.*000001_create_tags\.up\.sql$/m);
    expect(r.stdout).toMatch(/CREATE TABLE tags .*\n\s+locks: on new public\.tags/);
    expect(r.stdout).toMatch(/down restores the schema: yes/);
    expect(r.stdout).toMatch(/locks: not observed/);
    expect(r.stdout).toMatch(/3 migrations: 3 ok, 0 flagged, 0 failed, 0 not run; 0 without a down/);
  }, 60_000);

  it('exits 4 when a migration fails, naming the file, the statement and the error in the --json document', async () => {
    const before = await scratchDatabases();
    const r = await runCli([
      'migrate',
      'test',
      path.join(FIXTURES, 'dbmate-bad'),
      '-c',
      target,
      '--scratch',
      server,
      '--with-sample',
      '5',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(4);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(
      expect.arrayContaining(['dialect', 'scratch', 'migrations', 'failed', 'summary', 'locks', 'sample']),
    );
    expect(doc.dialect).toBe('postgres');
    expect(doc.scratch).toMatch(/^aishell_scratch_[0-9a-f]{12} on postgres:\/\//);
    expect(doc.failed).toEqual({
      file: expect.stringMatching(/20240101000003_order_status\.sql$/),
      migration: expect.stringMatching(/20240101000003_order_status\.sql$/),
      direction: 'up',
      statement: 2,
      line: 3,
      sql: 'ALTER TABLE orders ADD COLUMN status text NOT NULL',
      message: 'column "status" of relation "orders" contains null values',
      sqlState: '23502',
    });
    const [flagged, notes, failed, notRun] = doc.migrations;
    expect(flagged).toMatchObject({
      status: 'flagged',
      checks: { downRestores: true, upRepeatable: true, residue: [] },
    });
    expect(flagged.up.statements[0]).toEqual({
      index: 1,
      line: 2,
      sql: 'ALTER TABLE accounts ADD COLUMN nickname text',
      durationMs: expect.any(Number),
      locks: [{ relation: 'public.accounts', kind: 'table', mode: 'ACCESS EXCLUSIVE', created: false }],
      flagged: [
        {
          code: 'ACCESS_EXCLUSIVE_ON_TABLE_WITH_ROWS',
          relation: 'public.accounts',
          rows: 5,
          rowsSource: 'scratch',
          message: expect.stringMatching(/ACCESS EXCLUSIVE on public\.accounts/),
        },
      ],
      error: null,
    });
    expect(notes).toMatchObject({
      status: 'failed',
      checks: {
        downRestores: false,
        residue: [{ check: 'downRestores', sql: 'DROP TABLE "public"."notes"' }],
      },
    });
    expect(failed.status).toBe('failed');
    expect(failed.up.statements[0].locks).toEqual(
      expect.arrayContaining([{ relation: 'public.orders', kind: 'table', mode: 'SHARE', created: false }]),
    );
    expect(failed.up.statements[0].flagged).toEqual([]);
    expect(notRun.status).toBe('not-run');
    // The scratch database is gone.
    expect((await scratchDatabases()).filter((d) => !before.includes(d))).toEqual([]);
  }, 60_000);

  it("exits 8 when statements are only flagged (by the target's row estimate without a sample)", async () => {
    const at = folder('flagged', {
      '1_note.up.sql': 'ALTER TABLE orders ADD COLUMN note text;\n',
      '1_note.down.sql': 'ALTER TABLE orders DROP COLUMN note;\n',
    });
    const r = await runCli(['migrate', 'test', at, '-c', target]);
    expect(r.code, r.stderr).toBe(8);
    expect(r.stdout).toMatch(/^FLAGGED {2}/m);
    expect(r.stdout).toMatch(/! takes ACCESS EXCLUSIVE on public\.orders \(about 40 rows on the target\)/);
  }, 60_000);

  it('refuses a path that does not exist with exit 2 and one line, no stack trace', async () => {
    const r = await runCli(['migrate', 'test', path.join(dir, 'no-such-folder'), '-c', target]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^aishell: cannot read .*no-such-folder: no such file or folder$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const none = await runCli(['migrate', 'test', '-c', target]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/name the migration files or folders/);
  }, 60_000);

  it('drops the scratch database and exits 130 on Ctrl-C in the middle of a statement', async () => {
    const at = folder('sleep', {
      '1_slow.up.sql': 'CREATE TABLE slow (id int);\nselect pg_sleep(30);\n',
      '1_slow.down.sql': 'DROP TABLE slow;\n',
    });
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !/^(AISHELL_|DATABASE_URL$|PG[A-Z]+$|XDG_|NODE_OPTIONS$|VITEST)/.test(k),
      ),
    ) as Record<string, string>;
    const child = spawn(process.execPath, [BIN, 'migrate', 'test', at, '-c', target, '--scratch', server], {
      env: { ...env, ...tempHome(), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const started = Date.now();
    let db: string | undefined;
    while (db === undefined && Date.now() - started < 20_000) {
      const r = await admin.query(
        "select datname from pg_stat_activity where query = 'select pg_sleep(30)' and datname like 'aishell\\_scratch\\_%'",
      );
      db = r.rows[0]?.datname;
      if (db === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(db, 'the statement was seen running on a scratch database').toBeDefined();
    const signalled = Date.now();
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    // Ended by Ctrl-C, long before the statement's 30 s.
    expect(Date.now() - signalled).toBeLessThan(15_000);
    expect(stderr).toMatch(/interrupted; the scratch databases were dropped/);
    expect(await scratchDatabases()).not.toContain(db);
  }, 60_000);
});
