// schemaDiff and the scratch databases on the real engines: schema files loaded into PGlite, into a
// database of aishell's own on the PostgreSQL and MariaDB servers (always dropped), a live database read
// where it is and copied for the apply-check, never written.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPool, type Pool } from '@aishell/pool';
import { mysqlUrl, pgUrl, suffix } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { schemaDiff, schemaSource } from './schema-diff.js';
import { closeAllScratch, copySchema, openScratch, SCRATCH_PREFIX } from './scratch.js';
import { Session } from './session.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-schema-diff-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}
const openSession = (connection: string) =>
  Session.open({ connection, config: { connections: {} }, env: {}, history: false, warm: false });

const FROM = `create table users (id serial primary key, mail text, name varchar(50));
create table orders (id serial primary key, user_id int, total numeric);
create index orders_user on orders (user_id);`;
const TO = `create table users (id serial primary key, email text, name varchar(100));
create table orders (id serial primary key, user_id int references users (id), total numeric, created_at timestamptz default now());
create index orders_user on orders (user_id, created_at);
create view big_orders as select * from orders where total > 100;`;

let serverUrl: string;
let mysqlServer: string;
const liveDb = `aishell_test_sd_${suffix()}`;
let live: string;
let admin: Pool;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Scratch databases on the PostgreSQL server now. */
async function pgScratchNames(): Promise<string[]> {
  const r = await admin.query('select datname from pg_database where datname like $1', [
    `${SCRATCH_PREFIX}%`,
  ]);
  return r.rows.map((row) => String((row as { datname: string }).datname));
}

/** The scratch databases made since `before` that still exist (other test files make their own: wait for ours). */
async function leftSince(before: readonly string[]): Promise<string[]> {
  return (await pgScratchNames()).filter((n) => !before.includes(n));
}

beforeAll(async () => {
  serverUrl = await pgUrl();
  mysqlServer = await mysqlUrl();
  admin = createPool(withDatabase(serverUrl, 'postgres'), { max: 1 });
  await admin.query(`create database ${liveDb}`);
  live = withDatabase(serverUrl, liveDb);
  const session = await openSession(live);
  await session.run(FROM, { confirmed: true });
  await session.run(`insert into users (mail, name) values ('a@b', 'A'), ('c@d', 'C')`);
  await session.close();
});
afterAll(async () => {
  await closeAllScratch();
  await admin.query(`drop database if exists ${liveDb} with (force)`);
  await admin.close();
});

describe('schemaSource', () => {
  it('takes *.sql as a schema file and anything else as a connection', () => {
    expect(schemaSource('db/schema.SQL')).toEqual({ kind: 'file', path: 'db/schema.SQL' });
    expect(schemaSource('prod')).toEqual({ kind: 'connection', connection: 'prod' });
    expect(schemaSource('sqlite:./x.db')).toEqual({ kind: 'connection', connection: 'sqlite:./x.db' });
  });
});

describe('schemaDiff of two PostgreSQL files in PGlite (nothing to configure)', () => {
  it('plans the migration with its hazards, data loss named, in dependency order', async () => {
    const r = await schemaDiff({
      from: schemaSource(file('from.sql', FROM)),
      to: schemaSource(file('to.sql', TO)),
      openSession,
    });
    expect(r.dialect).toBe('postgres');
    expect(r.from.readFrom).toBe('PGlite (in memory)');
    expect(r.from.statements).toBe(3);
    const sql = r.plan.statements.map((s) => s.sql);
    expect(sql.some((s) => /DROP COLUMN "mail"/.test(s))).toBe(true);
    expect(r.dataLoss.map((s) => s.sql)).toEqual([expect.stringMatching(/DROP COLUMN "mail"/)]);
    const view = sql.findIndex((s) => /CREATE VIEW .*big_orders/.test(s));
    const column = sql.findIndex((s) => /ADD COLUMN "created_at"/.test(s));
    expect(view).toBeGreaterThan(column);
    expect(
      r.plan.statements.find((s) => /CREATE INDEX CONCURRENTLY/.test(s.sql))?.hazards.map((h) => h.code),
    ).toEqual(['INDEX_BUILD']);
    expect(r.script).toMatch(/^-- DELETES_DATA: /m);
    expect(r.applyCheck).toBeNull();
  });

  it('plans a rename only when asked, and then drops no data', async () => {
    const r = await schemaDiff({
      from: schemaSource(file('from.sql', FROM)),
      to: schemaSource(file('to.sql', TO)),
      renames: { 'users.mail': 'email' },
      applyCheck: true,
      openSession,
    });
    expect(r.plan.statements.map((s) => s.sql)).toContain(
      'ALTER TABLE "public"."users" RENAME COLUMN "mail" TO "email"',
    );
    expect(r.dataLoss).toEqual([]);
    expect(r.applyCheck).toMatchObject({ converged: true, residue: [], failed: null });
  });

  it('names the statement of a file that does not load, and says how it read the file', async () => {
    const broken = file('broken.sql', 'create table a (id int);\ncreate table b (id int auto_increment);\n');
    const error = await schemaDiff({
      from: schemaSource(broken),
      to: schemaSource(file('to.sql', TO)),
      openSession,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SCHEMA_LOAD', statement: { index: 1, line: 2 } });
    expect((error as { hint?: string }).hint).toMatch(/read as PostgreSQL.*--scratch mysql:/);
  });

  it('refuses a missing file with a usage error naming it', async () => {
    await expect(
      schemaDiff({
        from: schemaSource(path.join(dir, 'nope.sql')),
        to: schemaSource(file('to.sql', TO)),
        openSession,
      }),
    ).rejects.toThrow(/cannot read .*nope\.sql: no such file/);
  });
});

describe('schemaDiff against a live PostgreSQL database', () => {
  it('reads the database where it is, tries the plan on a copy, and leaves the database as it was', async () => {
    const before = await pgScratchNames();
    const r = await schemaDiff({
      from: schemaSource(live),
      to: schemaSource(file('to.sql', TO)),
      scratch: serverUrl,
      applyCheck: true,
      openSession,
    });
    expect(r.from.readFrom).toMatch(/^PostgreSQL 1\d\./);
    expect(r.to.readFrom).toMatch(new RegExp(`^${SCRATCH_PREFIX}[0-9a-f]{12} on postgres://`));
    expect(r.applyCheck).toMatchObject({ converged: true, residue: [] });
    expect(r.warnings).toEqual([]);
    // The live database was only read: its column and rows are still there.
    const c = createPool(live, { max: 1 });
    const rows = await c.query('select mail from users order by id');
    await c.close();
    expect(rows.rows).toEqual([{ mail: 'a@b' }, { mail: 'c@d' }]);
    await expect.poll(() => leftSince(before), { timeout: 20_000 }).toEqual([]);
  });

  it('says when the two sides come from different PostgreSQL versions (the server and PGlite)', async () => {
    const r = await schemaDiff({
      from: schemaSource(live),
      to: schemaSource(file('to.sql', TO)),
      openSession,
    });
    const versions = [r.from.readFrom, r.to.readFrom];
    expect(versions[1]).toBe('PGlite (in memory)');
    // PGlite 0.5 is PostgreSQL 18; the server here is not.
    expect(r.warnings).toEqual([
      expect.stringMatching(/read on PostgreSQL \d+ and \d+: view and function definitions/),
    ]);
  });

  it('drops the scratch database of a file that failed to load', async () => {
    const before = await pgScratchNames();
    await expect(
      schemaDiff({
        from: schemaSource(live),
        to: schemaSource(file('bad.sql', 'create table x (id int);\nselect * from nowhere;\n')),
        scratch: serverUrl,
        openSession,
      }),
    ).rejects.toMatchObject({ code: 'SCHEMA_LOAD', statement: { index: 1, line: 2 } });
    await expect.poll(() => leftSince(before), { timeout: 20_000 }).toEqual([]);
  });

  it('refuses to compare a PostgreSQL database with a MySQL file', async () => {
    await expect(
      schemaDiff({
        from: schemaSource(live),
        to: schemaSource(file('to.sql', TO)),
        dialect: 'mysql',
        openSession,
      }),
    ).rejects.toBeInstanceOf(UsageError);
  });
});

describe('schemaDiff of MySQL files on MariaDB', () => {
  const M1 = `create table users (id int auto_increment primary key, mail varchar(100), name varchar(50)) engine=InnoDB default charset=utf8mb4;
create table orders (id int auto_increment primary key, user_id int, total decimal(10,2), key orders_user (user_id));`;
  const M2 = `create table users (id int auto_increment primary key, mail varchar(100), name varchar(50), created_at datetime default current_timestamp) engine=InnoDB default charset=utf8mb4;
create table orders (id int auto_increment primary key, user_id int, total decimal(10,2), key orders_user (user_id), key orders_total (total));
create view big as select * from orders where total > 100;`;

  it('needs a server to load them on', async () => {
    await expect(
      schemaDiff({
        from: schemaSource(file('m1.sql', M1)),
        to: schemaSource(file('m2.sql', M2)),
        dialect: 'mysql',
        openSession,
      }),
    ).rejects.toThrow(/MySQL\/MariaDB scratch database needs a server: pass --scratch mysql:/);
  });

  it("plans with MySQL's algorithms, converges on a scratch copy, and drops its databases", async () => {
    const m = createPool(mysqlServer, { max: 1 });
    const scratchDbs = async () =>
      (
        await m.query(
          'select schema_name as name from information_schema.schemata where schema_name like ?',
          [`${SCRATCH_PREFIX}%`],
        )
      ).rows.map((row) => String((row as { name: string }).name));
    const before = await scratchDbs();
    const r = await schemaDiff({
      from: schemaSource(file('m1.sql', M1)),
      to: schemaSource(file('m2.sql', M2)),
      scratch: mysqlServer,
      applyCheck: true,
      openSession,
    });
    expect(r.dialect).toBe('mysql');
    const sql = r.plan.statements.map((s) => s.sql);
    expect(sql).toContainEqual(expect.stringMatching(/ADD COLUMN `created_at` .*ALGORITHM=INSTANT$/));
    expect(sql).toContainEqual(
      expect.stringMatching(/ADD KEY `orders_total` \(`total`\), ALGORITHM=INPLACE, LOCK=NONE$/),
    );
    expect(r.applyCheck).toMatchObject({ converged: true, residue: [] });
    await expect
      .poll(async () => (await scratchDbs()).filter((n) => !before.includes(n)), { timeout: 20_000 })
      .toEqual([]);
    await m.close();
  });
});

describe('openScratch and copySchema', () => {
  it('creates aishell_scratch_<random> on the server and drops it on close, even twice', async () => {
    const s = await openScratch({ dialect: 'postgres', url: serverUrl });
    expect(s.database).toMatch(new RegExp(`^${SCRATCH_PREFIX}[0-9a-f]{12}$`));
    expect(await pgScratchNames()).toContain(s.database);
    await s.close();
    await s.close();
    expect(await pgScratchNames()).not.toContain(s.database);
  });

  it('drops a scratch database even while a statement runs on it (what Ctrl-C does)', async () => {
    const s = await openScratch({ dialect: 'postgres', url: serverUrl });
    const sleeping = s.run('select pg_sleep(30)').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await closeAllScratch();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await sleeping).toBeInstanceOf(Error);
    expect(await pgScratchNames()).not.toContain(s.database);
  });

  it('refuses a URL of another dialect', async () => {
    await expect(openScratch({ dialect: 'postgres', url: mysqlServer })).rejects.toThrow(
      /is a mysql server; this needs postgres/,
    );
  });

  it("copies a live database's schema, not its rows", async () => {
    const session = await openSession(live);
    const { introspectSchema } = await import('@aishell/schema');
    const model = await introspectSchema((q, p) => session.pool.query(q, p ?? []), 'postgres');
    await session.close();
    await using s = await openScratch({ dialect: 'postgres', url: serverUrl });
    expect((await copySchema(s, model)).unsupported).toEqual([]);
    const { diffSchemas } = await import('@aishell/schema');
    const copy = await introspectSchema(s.run, 'postgres');
    expect(diffSchemas(copy, model).statements).toEqual([]);
    expect((await s.run('select count(*)::int as n from users')).rows).toEqual([{ n: 0 }]);
  });
});
