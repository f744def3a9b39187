// `aishell schema diff` and `aishell migrate lint`, run as a person runs them: the built binary, its exit
// codes (PRODUCT.md), its JSON documents, one-line errors, and Ctrl-C that leaves no scratch database.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pgUrl } from '@aishell/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, tempHome } from './run-cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-schema-cli-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}
const env = tempHome();

const FROM = `create table users (id serial primary key, mail text, name varchar(50));
create type mood as enum ('sad', 'ok', 'happy');`;
const TO = `create table users (id serial primary key, email text, name varchar(100), created_at timestamptz default now());
create type mood as enum ('sad', 'ok', 'happy');`;

let server: string;
let admin: pg.Client;
beforeAll(async () => {
  server = await pgUrl();
  const u = new URL(server);
  u.pathname = '/postgres';
  admin = new pg.Client({ connectionString: u.toString() });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
});

describe('aishell schema diff', () => {
  it('prints the plan as a script with its hazards and exits 5 when it drops data', async () => {
    const r = await runCli(['schema', 'diff', file('from.sql', FROM), file('to.sql', TO)], { env });
    expect(r.code, r.stderr).toBe(5);
    expect(r.stdout).toMatch(/^-- DELETES_DATA: the values of public\.users\.mail are deleted$/m);
    expect(r.stdout).toMatch(/^ALTER TABLE "public"\."users" DROP COLUMN "mail";$/m);
    expect(r.stderr).toMatch(/drops data .*re-run with --unsafe/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 0 with --unsafe, and plans a rename instead of a drop when asked', async () => {
    const unsafe = await runCli(['schema', 'diff', file('from.sql', FROM), file('to.sql', TO), '--unsafe'], {
      env,
    });
    expect(unsafe.code, unsafe.stderr).toBe(0);
    const renamed = await runCli(
      ['schema', 'diff', file('from.sql', FROM), file('to.sql', TO), '--rename', 'users.mail=email'],
      { env },
    );
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(renamed.stdout).toMatch(/RENAME COLUMN "mail" TO "email";/);
    expect(renamed.stdout).not.toMatch(/DROP COLUMN/);
  });

  it("prints PRODUCT.md's JSON, with the apply-check converged", async () => {
    const r = await runCli(
      ['schema', 'diff', file('from.sql', FROM), file('to.sql', TO), '--apply-check', '--unsafe', '--json'],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['statements', 'unsupported', 'applyCheck']));
    for (const s of doc.statements)
      expect(Object.keys(s)).toEqual(expect.arrayContaining(['sql', 'hazards', 'online']));
    expect(doc.statements[0].hazards[0]).toEqual({ code: 'DELETES_DATA', message: expect.any(String) });
    expect(doc.applyCheck).toMatchObject({ converged: true, residue: [] });
    expect(doc.unsupported).toEqual([]);
  });

  it('exits 4 when the apply-check leaves something behind (an enum value removed cannot be planned)', async () => {
    const fewer = file('fewer.sql', `${FROM.split('\n')[0]}\ncreate type mood as enum ('sad', 'happy');`);
    const r = await runCli(['schema', 'diff', file('from.sql', FROM), fewer, '--apply-check', '--json'], {
      env,
    });
    expect(r.code, r.stderr).toBe(4);
    const doc = JSON.parse(r.stdout);
    expect(doc.unsupported).toEqual([
      expect.objectContaining({ kind: expect.any(String), name: expect.stringMatching(/mood/) }),
    ]);
    expect(doc.applyCheck.converged).toBe(false);
    expect(doc.applyCheck.residue).toEqual([
      expect.objectContaining({ sql: null, message: expect.stringMatching(/mood/) }),
    ]);
    expect(r.stderr).toMatch(/apply-check: the plan does not converge/);
  });

  it('prints nothing to migrate for equal schemas', async () => {
    const r = await runCli(['schema', 'diff', file('from.sql', FROM), file('from.sql', FROM)], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('-- no differences: nothing to migrate\n');
  });

  it('names the statement of a file that does not load, in one line, exit 4', async () => {
    const bad = file('bad.sql', 'create table a (id int);\n\ncreate table b (id nosuchtype);\n');
    const r = await runCli(['schema', 'diff', bad, file('to.sql', TO)], { env });
    expect(r.code).toBe(4);
    expect(r.stderr.split('\n')[0]).toMatch(
      /bad\.sql:3: statement 2 failed: type "nosuchtype" does not exist/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('gives usage errors exit 2 and one line: a missing file, a malformed --rename', async () => {
    const missing = await runCli(['schema', 'diff', path.join(dir, 'nope.sql'), file('to.sql', TO)], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^aishell: cannot read .*nope\.sql: no such file\n$/);
    const rename = await runCli(
      ['schema', 'diff', file('from.sql', FROM), file('to.sql', TO), '--rename', 'mail'],
      {
        env,
      },
    );
    expect(rename.code).toBe(2);
    expect(rename.stderr).toMatch(/--rename mail: expected old=new/);
  });

  it('Ctrl-C drops the scratch database it made on the server and exits 130', async () => {
    const marker = `ctrl_c_${Math.random().toString(36).slice(2, 8)}`;
    const slow = file('slow.sql', `create table z (id int);\nselect pg_sleep(30) as ${marker};\n`);
    const child = spawn(
      process.execPath,
      [BIN, 'schema', 'diff', file('from.sql', FROM), slow, '--scratch', server],
      {
        env: { ...process.env, ...env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // The scratch database is the one whose session sleeps with our marker.
    const sleeping = async () =>
      (
        await admin.query<{ datname: string }>('select datname from pg_stat_activity where query like $1', [
          `%pg_sleep(30) as ${marker}%`,
        ])
      ).rows.map((r) => r.datname);
    await expect.poll(sleeping, { timeout: 30_000, interval: 200 }).toHaveLength(1);
    const [scratch] = await sleeping();
    expect(scratch).toMatch(/^aishell_scratch_[0-9a-f]{12}$/);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/interrupted; the scratch databases were dropped/);
    const left = await admin.query('select 1 from pg_database where datname = $1', [scratch]);
    expect(left.rowCount).toBe(0);
  });
});

describe('aishell migrate lint', () => {
  const clean = `set lock_timeout = '1s';\nset statement_timeout = '5s';\ncreate index concurrently if not exists users_name on users (name);\n`;
  const warned = `set lock_timeout = '1s';\nset statement_timeout = '5s';\ncreate index if not exists users_name on users (name);\n`;

  it('exits 0 on a clean file, 8 on warnings, 9 on an error (a syntax error)', async () => {
    const ok = await runCli(['migrate', 'lint', file('lint/clean/001_ok.sql', clean)], { env });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toBe('no findings in 1 file\n');
    const warn = await runCli(['migrate', 'lint', file('lint/warn/001_index.sql', warned)], { env });
    expect(warn.code).toBe(8);
    expect(warn.stdout).toMatch(/001_index\.sql:3:1: warning\[require-concurrent-index-creation\] /);
    expect(warn.stdout).toMatch(
      /^ {2}fix: create index CONCURRENTLY if not exists users_name on users \(name\);$/m,
    );
    const error = await runCli(
      ['migrate', 'lint', file('lint/error/001_typo.sql', 'create tabel x (id int);\n')],
      {
        env,
      },
    );
    expect(error.code).toBe(9);
    expect(error.stdout).toMatch(/error\[syntax-error\]/);
  });

  it("prints PRODUCT.md's JSON with squawk's rule names", async () => {
    const r = await runCli(['migrate', 'lint', file('lint/warn/001_index.sql', warned), '--json'], { env });
    expect(r.code).toBe(8);
    const doc = JSON.parse(r.stdout);
    expect(doc.findings).toEqual([
      {
        rule: 'require-concurrent-index-creation',
        level: 'warning',
        file: expect.stringMatching(/001_index\.sql$/),
        line: 3,
        column: 1,
        message: expect.any(String),
        why: expect.any(String),
        fix: expect.stringMatching(/CONCURRENTLY/),
      },
    ]);
  });

  it('--rule runs only the rules named; an unknown rule is a usage error (exit 2)', async () => {
    const drop = file('lint/rule/001_drop.sql', `${clean}alter table users drop column if exists mail;\n`);
    const only = await runCli(
      ['migrate', 'lint', drop, '--rule', 'require-concurrent-index-creation', '--json'],
      { env },
    );
    expect(only.code).toBe(0);
    expect(JSON.parse(only.stdout).findings).toEqual([]);
    const all = await runCli(['migrate', 'lint', drop, '--json'], { env });
    expect(JSON.parse(all.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual(['ban-drop-column']);
    const unknown = await runCli(['migrate', 'lint', drop, '--rule', 'no-such-rule'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^aishell: unknown postgres rule no-such-rule; the postgres rules are: /);
  });

  it('--pg-version: a constant default rewrites the table before PostgreSQL 11 only', async () => {
    const add = file(
      'lint/version/001_add.sql',
      `${clean}alter table users add column if not exists n int default 0;\n`,
    );
    const rules = ['--rule', 'adding-field-with-default', '--json'];
    const pg10 = await runCli(['migrate', 'lint', add, '--pg-version', '10', ...rules], { env });
    expect(JSON.parse(pg10.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual([
      'adding-field-with-default',
    ]);
    const pg15 = await runCli(['migrate', 'lint', add, '--pg-version', '15', ...rules], { env });
    expect(JSON.parse(pg15.stdout).findings).toEqual([]);
  });

  it('--assume-in-transaction: CREATE INDEX CONCURRENTLY cannot run in the transaction', async () => {
    const f = file('lint/tx/001_ok.sql', clean);
    const rule = ['--rule', 'ban-concurrent-index-creation-in-transaction', '--json'];
    expect(JSON.parse((await runCli(['migrate', 'lint', f, ...rule], { env })).stdout).findings).toEqual([]);
    const inTx = await runCli(['migrate', 'lint', f, '--assume-in-transaction', ...rule], { env });
    expect(JSON.parse(inTx.stdout).findings.map((x: { rule: string }) => x.rule)).toEqual([
      'ban-concurrent-index-creation-in-transaction',
    ]);
  });

  it('reads the layouts: golang-migrate downs and dbmate down sections are not linted, Prisma folders are', async () => {
    const root = path.join(dir, 'layouts');
    file('layouts/golang/1_users.up.sql', `${clean}`);
    file('layouts/golang/1_users.down.sql', 'drop table users;\n');
    // dbmate runs a file in a transaction unless told not to: CONCURRENTLY needs `transaction:false`.
    const down = '-- migrate:down\ndrop table users;\n';
    file('layouts/dbmate/20240101000000_users.sql', `-- migrate:up transaction:false\n${clean}${down}`);
    file('layouts/dbmate-tx/20240101000000_users.sql', `-- migrate:up\n${clean}${down}`);
    file(
      'layouts/prisma/migrations/20240101000000_init/migration.sql',
      'alter table users drop column mail;\n',
    );
    file('layouts/prisma/migrations/migration_lock.toml', 'provider = "postgresql"\n');
    const golang = await runCli(['migrate', 'lint', path.join(root, 'golang'), '--json'], { env });
    const g = JSON.parse(golang.stdout);
    expect(g.findings).toEqual([]);
    expect(g.skipped).toEqual([
      { path: expect.stringMatching(/1_users\.down\.sql$/), reason: 'down-migration' },
    ]);
    const dbmate = await runCli(['migrate', 'lint', path.join(root, 'dbmate'), '--json'], { env });
    expect(JSON.parse(dbmate.stdout).findings).toEqual([]);
    const dbmateTx = await runCli(['migrate', 'lint', path.join(root, 'dbmate-tx'), '--json'], { env });
    expect(JSON.parse(dbmateTx.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual([
      'ban-concurrent-index-creation-in-transaction',
    ]);
    const prisma = await runCli(['migrate', 'lint', path.join(root, 'prisma'), '--json'], { env });
    expect(
      JSON.parse(prisma.stdout).findings.map((f: { rule: string; file: string }) => [
        f.rule,
        path.basename(f.file),
      ]),
    ).toEqual(expect.arrayContaining([['ban-drop-column', 'migration.sql']]));
  });

  it('lints MySQL migrations with the MySQL rules', async () => {
    const f = file('lint/mysql/001_col.sql', 'alter table users modify column name varchar(500);\n');
    const r = await runCli(['migrate', 'lint', f, '--dialect', 'mysql', '--json'], { env });
    expect(r.code).toBe(8);
    expect(JSON.parse(r.stdout).findings.map((x: { rule: string }) => x.rule)).toEqual(
      expect.arrayContaining(['require-algorithm-lock']),
    );
  });

  it('a path that does not exist, or no path at all, is a usage error in one line', async () => {
    const missing = await runCli(['migrate', 'lint', path.join(dir, 'nowhere')], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^aishell: cannot read .*nowhere: no such file or folder\n$/);
    const none = await runCli(['migrate', 'lint'], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^aishell: name the migration files or folders to lint/);
  });
});
