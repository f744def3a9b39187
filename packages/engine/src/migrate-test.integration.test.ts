// migrateTest on the real engines: the fixture folders (good and bad migrations in every layout, each with
// the report it must produce in expected.json) tried on a PostgreSQL server's scratch database, on PGlite
// and on MariaDB; the target read and never written; the scratch database dropped after success, after a
// failure and after an abort.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPool, type Pool } from '@aishell/pool';
import { diffSchemas, introspectSchema, type SchemaModel } from '@aishell/schema';
import { mysqlUrl, pgUrl, suffix } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MigrateTestResult, migrateTest } from './migrate-test.js';
import { closeAllScratch, SCRATCH_PREFIX } from './scratch.js';
import { Session } from './session.js';

const FIXTURES = path.resolve(import.meta.dirname, '../test-fixtures/migrations');

/** What a fixture folder's expected.json says its report must hold. */
interface Expected {
  readonly withSample?: number;
  readonly exitCode: 0 | 4 | 8;
  readonly migrations: readonly {
    readonly file: string;
    readonly status: string;
    readonly hasDown: boolean;
    readonly downRestores: boolean | null;
    readonly upRepeatable: boolean | null;
    /** `<direction> <statement> <relation>` of every flag, exactly. */
    readonly flagged: readonly string[];
    /** The residue's statements, exactly. */
    readonly residue: readonly string[];
    readonly transaction?: string;
    /**
     * `<direction> <statement> <relation> <mode>` that must be among the locks (a statement's locks are those
     * stronger than what its transaction held already); null: no statement's locks observed.
     */
    readonly locks?: readonly string[] | null;
    /** `<direction> <statement>` whose locks cannot be observed (CONCURRENTLY, a refused statement). */
    readonly unobserved?: readonly string[];
  }[];
  readonly failed: {
    readonly file: string;
    readonly migration: string;
    readonly direction: string;
    readonly statement: number;
    readonly line: number;
    readonly sqlState: string;
    /** The start of the database's message. */
    readonly message: string;
  } | null;
}

const PG_TARGET = `create table accounts (id bigint generated always as identity primary key, email text not null unique,
  created_at timestamptz not null default now());
create table orders (id serial primary key, account_id bigint not null references accounts (id),
  total numeric(10,2) not null default 0, meta jsonb);
insert into accounts (email) select 'a' || g || '@example.com' from generate_series(1, 20) g;
insert into orders (account_id, total, meta) select 1 + g % 20, g, jsonb_build_object('g', g, 'tags', jsonb_build_array('x', g))
  from generate_series(1, 40) g;
analyze accounts;
analyze orders;
create sequence archive_seq;`;

const MYSQL_TARGET = `create table accounts (id bigint auto_increment primary key, email varchar(200) not null unique,
  created_at datetime not null default current_timestamp);
create table orders (id int auto_increment primary key, account_id bigint not null,
  total decimal(10,2) not null default 0, meta json,
  constraint orders_account foreign key (account_id) references accounts (id));
insert into accounts (email) values ${Array.from({ length: 20 }, (_, i) => `('a${i + 1}@example.com')`).join(', ')};
insert into orders (account_id, total, meta) values ${Array.from(
  { length: 40 },
  (_, i) => `(${1 + ((i + 1) % 20)}, ${i + 1}, '{"g": ${i + 1}}')`,
).join(', ')};`;

const openSession = (connection: string) =>
  Session.open({ connection, config: { connections: {} }, env: {}, history: false, warm: false });

function withDatabase(url: string, database: string | null): string {
  const u = new URL(url);
  u.pathname = database === null ? '' : `/${database}`;
  return u.toString();
}

let pgServer: string;
let mysqlServer: string;
let pgAdmin: Pool;
let mysqlAdmin: Pool;
const pgTargetDb = `aishell_test_mt_${suffix()}`;
const mysqlTargetDb = `aishell_test_mt_${suffix()}`;
let pgTarget: Session;
let mysqlTarget: Session;

/** Scratch databases on a server now. */
async function scratchNames(admin: Pool): Promise<string[]> {
  const sql =
    admin.sqlDialect === 'postgres'
      ? 'select datname as name from pg_database where datname like $1'
      : 'select schema_name as name from information_schema.schemata where schema_name like ?';
  const r = await admin.query(sql, [`${SCRATCH_PREFIX}%`]);
  return r.rows.map((row) => String((row as { name: string }).name));
}

/** The target's schema and a fingerprint of its rows: what must be the same after a run. */
async function snapshot(session: Session): Promise<{ model: SchemaModel; rows: string }> {
  const run = (sql: string, params?: readonly unknown[]) => session.pool.query(sql, params ?? []);
  const model = await introspectSchema(run, session.sqlDialect);
  const rows =
    session.sqlDialect === 'postgres'
      ? `select (select md5(string_agg(a::text, ',' order by id)) from accounts a) || (select md5(string_agg(o::text, ',' order by id)) from orders o) as f`
      : `select concat((select md5(group_concat(id, email, created_at order by id)) from accounts),
                       (select md5(group_concat(id, account_id, total, coalesce(meta, '') order by id)) from orders)) as f`;
  return { model, rows: String((await run(rows)).rows[0]?.f) };
}

async function expectUntouched(
  session: Session,
  before: { model: SchemaModel; rows: string },
): Promise<void> {
  const after = await snapshot(session);
  const plan = diffSchemas(before.model, after.model);
  expect(plan.statements.map((s) => s.sql)).toEqual([]);
  expect(plan.unsupported).toEqual([]);
  expect(after.rows).toBe(before.rows);
}

beforeAll(async () => {
  pgServer = await pgUrl();
  mysqlServer = await mysqlUrl();
  pgAdmin = createPool(withDatabase(pgServer, 'postgres'), { max: 1 });
  mysqlAdmin = createPool(withDatabase(mysqlServer, null), { max: 1 });
  await pgAdmin.query(`create database ${pgTargetDb}`);
  await mysqlAdmin.query(`create database ${mysqlTargetDb}`);
  pgTarget = await openSession(withDatabase(pgServer, pgTargetDb));
  await pgTarget.run(PG_TARGET, { confirmed: true });
  mysqlTarget = await openSession(withDatabase(mysqlServer, mysqlTargetDb));
  await mysqlTarget.run(MYSQL_TARGET, { confirmed: true });
}, 60_000);

afterAll(async () => {
  await closeAllScratch();
  await pgTarget?.close();
  await mysqlTarget?.close();
  await pgAdmin?.query(`drop database if exists ${pgTargetDb} with (force)`);
  await mysqlAdmin?.query(`drop database if exists ${mysqlTargetDb}`);
  await pgAdmin?.close();
  await mysqlAdmin?.close();
});

/** The report as expected.json states it. */
function project(result: MigrateTestResult, folder: string) {
  const strip = (file: string) => path.relative(folder, file).split(path.sep).join('/');
  return {
    exitCode: result.exitCode,
    failed:
      result.failed === null
        ? null
        : {
            file: strip(result.failed.file),
            migration: strip(result.failed.migration),
            direction: result.failed.direction,
            statement: result.failed.statement,
            line: result.failed.line,
            sqlState: result.failed.sqlState,
            message: result.failed.message,
          },
    migrations: result.migrations.map((m) => {
      const runs = [
        ['up', m.up],
        ['down', m.down],
      ] as const;
      const statements = runs.flatMap(([direction, run]) =>
        (run?.statements ?? []).map((s) => ({ direction, ...s })),
      );
      return {
        file: strip(m.file),
        status: m.status,
        hasDown: m.hasDown,
        downRestores: m.checks.downRestores,
        upRepeatable: m.checks.upRepeatable,
        flagged: statements.flatMap((s) => s.flagged.map((f) => `${s.direction} ${s.index} ${f.relation}`)),
        residue: m.checks.residue.map((r) => r.sql),
        transaction: m.up?.transaction,
        locks: statements.flatMap((s) =>
          (s.locks ?? []).map((l) => `${s.direction} ${s.index} ${l.relation} ${l.mode}`),
        ),
        observed: statements.filter((s) => s.locks !== null).map((s) => `${s.direction} ${s.index}`),
        unobserved: statements.filter((s) => s.locks === null).map((s) => `${s.direction} ${s.index}`),
      };
    }),
  };
}

function checkAgainst(result: MigrateTestResult, folder: string, expected: Expected): void {
  const got = project(result, folder);
  expect(got.exitCode).toBe(expected.exitCode);
  // The database's own words: the start of them is enough (servers reword the rest across versions).
  expect(
    got.failed === null
      ? null
      : { ...got.failed, message: got.failed.message.slice(0, expected.failed?.message.length) },
  ).toEqual(expected.failed);
  expect(got.migrations.map((m) => m.file)).toEqual(expected.migrations.map((m) => m.file));
  for (const [i, want] of expected.migrations.entries()) {
    const m = got.migrations[i];
    const label = `${want.file}`;
    expect({ status: m?.status, hasDown: m?.hasDown }, label).toEqual({
      status: want.status,
      hasDown: want.hasDown,
    });
    expect({ downRestores: m?.downRestores, upRepeatable: m?.upRepeatable }, label).toEqual({
      downRestores: want.downRestores,
      upRepeatable: want.upRepeatable,
    });
    expect(m?.flagged, label).toEqual(want.flagged);
    expect(m?.residue, label).toEqual(want.residue);
    if (want.transaction !== undefined) expect(m?.transaction, label).toBe(want.transaction);
    if (want.locks === null) expect(m?.observed, `${label}: no locks observed on this engine`).toEqual([]);
    else if (want.locks !== undefined)
      expect(m?.locks, label).toEqual(expect.arrayContaining([...want.locks]));
    if (want.unobserved !== undefined) expect(m?.unobserved, label).toEqual(want.unobserved);
  }
}

const ENGINES = [
  {
    name: 'a PostgreSQL server',
    engine: 'postgres',
    scratch: () => pgServer,
    target: () => pgTarget,
    admin: () => pgAdmin,
  },
  { name: 'PGlite', engine: 'postgres', scratch: () => undefined, target: () => pgTarget, admin: () => null },
  {
    name: 'MariaDB',
    engine: 'mysql',
    scratch: () => mysqlServer,
    target: () => mysqlTarget,
    admin: () => mysqlAdmin,
  },
] as const;

describe.each(ENGINES)('migrateTest with the scratch on $name', ({ engine, scratch, target, admin }) => {
  const folders = readdirSync(path.join(FIXTURES, engine)).sort();

  it('has a good and a bad folder for every layout', () => {
    const layouts = ['dbmate', 'goose', 'golang-migrate', 'flyway', 'prisma', 'timestamped', 'plain'];
    expect(folders).toEqual(layouts.flatMap((l) => [`${l}-bad`, `${l}-good`]).sort());
  });

  it.each(folders)(
    '%s: gives the report of its expected.json, leaves the target as it was and drops the scratch',
    async (name) => {
      const folder = path.join(engine, name);
      const expected = JSON.parse(
        readFileSync(path.join(FIXTURES, folder, 'expected.json'), 'utf8'),
      ) as Expected;
      const before = await snapshot(target());
      const url = scratch();
      const result = await migrateTest({
        paths: [folder],
        cwd: FIXTURES,
        session: target(),
        ...(url ? { scratch: url } : {}),
        ...(expected.withSample ? { withSample: expected.withSample } : {}),
      });
      checkAgainst(result, folder, expected);
      expect(result.sample).toMatchObject({ rowsPerTable: 5, tables: 2, rows: 10 });
      await expectUntouched(target(), before);
      const server = admin();
      if (server !== null) {
        expect(result.scratchDatabase).toMatch(/^aishell_scratch_[0-9a-f]{12}$/);
        expect(await scratchNames(server)).not.toContain(result.scratchDatabase);
      } else expect(result.scratch).toBe('PGlite (in memory)');
    },
    60_000,
  );
});

const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-migrate-test-'));
/** A folder of migration files (name -> text) made for one test. */
function folder(name: string, files: Record<string, string>): string {
  const at = path.join(dir, name);
  for (const [file, text] of Object.entries(files)) {
    const p = path.join(at, file);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return at;
}

/** Waits until `probe` gives a value (polling), for at most `timeoutMs`. */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('migrateTest on PostgreSQL', () => {
  it("flags ACCESS EXCLUSIVE by the target's row estimate when no sample is copied, and a plain CREATE INDEX takes SHARE, not flagged", async () => {
    const at = folder('estimate', {
      '1_add.up.sql':
        'ALTER TABLE accounts ADD COLUMN note text;\nCREATE INDEX accounts_created ON accounts (created_at);\n',
      '1_add.down.sql': 'DROP INDEX accounts_created;\nALTER TABLE accounts DROP COLUMN note;\n',
    });
    const result = await migrateTest({ paths: [at], session: pgTarget });
    expect(result.sample).toBeNull();
    const [m] = result.migrations;
    const [add, index] = m?.up?.statements ?? [];
    expect(add?.locks).toEqual([
      { relation: 'public.accounts', kind: 'table', mode: 'ACCESS EXCLUSIVE', created: false },
    ]);
    expect(add?.flagged).toEqual([
      expect.objectContaining({
        code: 'ACCESS_EXCLUSIVE_ON_TABLE_WITH_ROWS',
        relation: 'public.accounts',
        rows: 20,
        rowsSource: 'target-estimate',
      }),
    ]);
    // Held since the ALTER in the same transaction: the index build adds only its own new index.
    expect(index?.locks).toEqual([
      { relation: 'public.accounts_created', kind: 'index', mode: 'ACCESS EXCLUSIVE', created: true },
    ]);
    expect(index?.flagged).toEqual([]);
    expect(m?.status).toBe('flagged');
    expect(result.exitCode).toBe(8);

    const alone = folder('index-alone', {
      '1_index.up.sql': 'CREATE INDEX orders_total ON orders (total);\n',
    });
    const indexed = await migrateTest({ paths: [alone], session: pgTarget, withSample: 3 });
    expect(indexed.migrations[0]?.up?.statements[0]?.locks).toEqual(
      expect.arrayContaining([{ relation: 'public.orders', kind: 'table', mode: 'SHARE', created: false }]),
    );
    expect(indexed.migrations[0]?.up?.statements[0]?.flagged).toEqual([]);
    expect(indexed.exitCode).toBe(0);
  }, 60_000);

  it("continues the target's sequences in the sample, so a migration's INSERT does not collide with a copied key", async () => {
    const at = folder('insert', {
      '1_seed.up.sql':
        "INSERT INTO orders (account_id, total) VALUES (1, 9.5);\nINSERT INTO accounts (email) VALUES ('new@example.com');\n",
      '1_seed.down.sql':
        "DELETE FROM accounts WHERE email = 'new@example.com';\nDELETE FROM orders WHERE total = 9.5;\n",
    });
    const result = await migrateTest({ paths: [at], session: pgTarget, scratch: pgServer, withSample: 40 });
    expect(result.failed).toBeNull();
    expect(result.sample).toMatchObject({ tables: 2, rows: 60 });
    expect(result.migrations[0]).toMatchObject({
      status: 'ok',
      checks: { downRestores: true, upRepeatable: true },
    });
  }, 60_000);

  it('reports an up that gives another schema when it runs again after its down', async () => {
    const at = folder('not-repeatable', {
      '20240101000000_archive.sql': `-- migrate:up
DO $$ BEGIN EXECUTE format('CREATE TABLE archive_%s (id int)', nextval('archive_seq')); END $$;

-- migrate:down
DO $$ DECLARE t text; BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'archive\\_%' LOOP
    EXECUTE format('DROP TABLE %I', t);
  END LOOP;
END $$;
`,
    });
    const result = await migrateTest({ paths: [at], session: pgTarget });
    const [m] = result.migrations;
    expect(m?.checks.downRestores).toBe(true);
    expect(m?.checks.upRepeatable).toBe(false);
    expect(m?.checks.residue.map((r) => [r.check, r.sql])).toEqual(
      expect.arrayContaining([['upRepeatable', expect.stringMatching(/archive_/)]]),
    );
    expect(m?.status).toBe('failed');
    expect(result.exitCode).toBe(4);
  }, 60_000);

  it('drops the scratch database when aborted mid-statement, and says it was interrupted', async () => {
    const at = folder('sleep', {
      '1_slow.up.sql': 'CREATE TABLE slow (id int);\nselect pg_sleep(30);\n',
      '1_slow.down.sql': 'DROP TABLE slow;\n',
    });
    const controller = new AbortController();
    const run = migrateTest({ paths: [at], session: pgTarget, scratch: pgServer, signal: controller.signal });
    run.catch(() => {});
    const db = await eventually(async () => {
      const r = await pgAdmin.query(
        "select datname from pg_stat_activity where query = 'select pg_sleep(30)' and datname like $1",
        [`${SCRATCH_PREFIX}%`],
      );
      return r.rows[0] ? String((r.rows[0] as { datname: string }).datname) : undefined;
    });
    const aborted = Date.now();
    controller.abort(new Error('Ctrl-C'));
    await expect(run).rejects.toMatchObject({ code: 'ENGINE_ABORTED' });
    // Ended by the abort, long before the statement's 30 s.
    expect(Date.now() - aborted).toBeLessThan(15_000);
    expect(await scratchNames(pgAdmin)).not.toContain(db);
  }, 30_000);

  it('names a path that does not exist, a folder without migrations and a bad sample size as usage errors', async () => {
    await expect(migrateTest({ paths: [path.join(dir, 'nope')], session: pgTarget })).rejects.toMatchObject({
      code: 'ENGINE_USAGE',
      message: expect.stringMatching(/no such file or folder/),
    });
    const empty = folder('empty', { 'README.md': 'no migrations here' });
    await expect(migrateTest({ paths: [empty], session: pgTarget })).rejects.toMatchObject({
      code: 'ENGINE_USAGE',
      message: expect.stringMatching(/no \.sql migration files/),
    });
    const one = folder('one', { '1_a.up.sql': 'SELECT 1;' });
    await expect(migrateTest({ paths: [one], session: pgTarget, withSample: -1 })).rejects.toMatchObject({
      code: 'ENGINE_USAGE',
    });
  });
});

describe('migrateTest on MariaDB', () => {
  it('needs --scratch for a MySQL/MariaDB target, and creates nothing without it', async () => {
    const before = await scratchNames(mysqlAdmin);
    const one = folder('mysql-one', { '1_a.up.sql': 'CREATE TABLE a (id int);' });
    await expect(migrateTest({ paths: [one], session: mysqlTarget })).rejects.toMatchObject({
      code: 'ENGINE_USAGE',
      message: expect.stringMatching(/--scratch mysql:/),
    });
    expect(await scratchNames(mysqlAdmin)).toEqual(before);
  });

  it('says locks cannot be observed, and drops the scratch database when aborted mid-statement', async () => {
    const at = folder('mysql-sleep', { '1_slow.up.sql': 'CREATE TABLE slow (id int);\nSELECT SLEEP(5);\n' });
    const controller = new AbortController();
    const run = migrateTest({
      paths: [at],
      session: mysqlTarget,
      scratch: mysqlServer,
      signal: controller.signal,
    });
    run.catch(() => {});
    const db = await eventually(async () => {
      const r = await mysqlAdmin.query(
        "select db from information_schema.processlist where info = 'SELECT SLEEP(5)' and db like ?",
        [`${SCRATCH_PREFIX}%`],
      );
      return r.rows[0] ? String((r.rows[0] as { db: string }).db) : undefined;
    });
    controller.abort(new Error('Ctrl-C'));
    await expect(run).rejects.toMatchObject({ code: 'ENGINE_ABORTED' });
    expect(await scratchNames(mysqlAdmin)).not.toContain(db);

    const quick = folder('mysql-quick', {
      '1_a.up.sql': 'CREATE TABLE quick (id int);',
      '1_a.down.sql': 'DROP TABLE quick;',
    });
    const result = await migrateTest({ paths: [quick], session: mysqlTarget, scratch: mysqlServer });
    expect(result.locks).toEqual({ observed: false, note: expect.stringMatching(/metadata lock/) });
    expect(result.migrations[0]?.up?.statements[0]?.locks).toBeNull();
    expect(result.exitCode).toBe(0);
  }, 30_000);
});

describe('migrateTest on SQLite', () => {
  it('tries migrations on a temporary copy of the file and leaves the file as it was', async () => {
    const file = path.join(dir, 'target.db');
    const target = await openSession(`sqlite://${file}`);
    try {
      await target.run(
        "create table items (id integer primary key, name text not null); insert into items (name) values ('a'), ('b')",
        {
          confirmed: true,
        },
      );
      const at = folder('sqlite', {
        '1_price.up.sql': 'ALTER TABLE items ADD COLUMN price real;\n',
        '1_price.down.sql': 'ALTER TABLE items DROP COLUMN price;\n',
        '2_tags.up.sql': 'CREATE TABLE tags (id integer primary key);\n',
        '2_tags.down.sql': 'SELECT 1;\n',
      });
      const result = await migrateTest({ paths: [at], session: target, withSample: 10 });
      expect(result.dialect).toBe('sqlite');
      expect(result.sample).toMatchObject({ tables: 1, rows: 2 });
      expect(result.migrations.map((m) => [m.status, m.checks.downRestores, m.up?.transaction])).toEqual([
        ['ok', true, 'file'],
        ['failed', false, 'file'],
      ]);
      expect(result.migrations[1]?.checks.residue.map((r) => r.sql)).toEqual([
        expect.stringMatching(/DROP TABLE "tags"/),
      ]);
      const cols = await target.pool.query("select name from pragma_table_info('items')");
      expect(cols.rows.map((r) => (r as { name: string }).name)).toEqual(['id', 'name']);
    } finally {
      await target.close();
    }
  }, 30_000);
});
