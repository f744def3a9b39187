// backup create, verify and restore through sessions on every engine (PostgreSQL 15 and MariaDB on the
// real servers, a SQLite file, a PGlite folder); a damaged archive refused by its checksum; a restore
// over tables refused unless confirmed; prune. Each server database is `aishell_test_h14_<random>`.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mysqlUrl, pgUrl, suffix } from '@aishell/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupCreate, backupList, backupPrune, backupRestore, backupVerify } from './backup.js';
import { resolvePaths } from './paths.js';
import { Session } from './session.js';

const home = mkdtempSync(path.join(tmpdir(), 'aishell-backup-engine-'));
const env = {
  ...process.env,
  XDG_DATA_HOME: path.join(home, 'data'),
  XDG_CONFIG_HOME: path.join(home, 'config'),
};
const paths = resolvePaths(env);
const openSession = (connection: string | undefined) =>
  Session.open({ ...(connection ? { connection } : {}), env, paths, history: false, warm: false });
const place = { env, paths };

/** Runs statements one by one on a connection. */
async function exec(url: string, statements: readonly string[]): Promise<void> {
  const session = await openSession(url);
  try {
    for (const sql of statements) await session.run(sql, { confirmed: true });
  } finally {
    await session.close();
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

interface ServerCase {
  readonly engine: 'postgres' | 'mysql';
  base(): Promise<string>;
  admin(base: string): string;
  create(name: string): string;
  drop(name: string): string;
  schema: readonly string[];
}

const SERVERS: readonly ServerCase[] = [
  {
    engine: 'postgres',
    base: pgUrl,
    admin: (base) => withDatabase(base, 'postgres'),
    create: (name) => `create database "${name}"`,
    drop: (name) => `drop database if exists "${name}" with (force)`,
    schema: [
      "create type status as enum ('new', 'paid', 'shipped')",
      'create table customers (id serial primary key, email text not null unique, created_at timestamptz default now())',
      'create table orders (id bigint generated always as identity primary key, customer_id int not null references customers (id), status status not null default $$new$$, total numeric(10, 2) check (total >= 0))',
      'create index orders_customer on orders (customer_id, status)',
      'create view paid_orders as select * from orders where status = $$paid$$',
      'create function order_count(c int) returns bigint language sql stable as $$select count(*) from orders where customer_id = c$$',
      "insert into customers (email) select 'c' || g || '@example.com' from generate_series(1, 120) g",
      "insert into orders (customer_id, status, total) select 1 + g % 120, (array['new', 'paid', 'shipped'])[1 + g % 3]::status, g from generate_series(1, 500) g",
    ],
  },
  {
    engine: 'mysql',
    base: mysqlUrl,
    admin: (base) => withDatabase(base, ''),
    create: (name) => `create database \`${name}\``,
    drop: (name) => `drop database if exists \`${name}\``,
    schema: [
      'create table customers (id int auto_increment primary key, email varchar(80) not null unique)',
      "create table orders (id int auto_increment primary key, customer_id int not null, status enum('new', 'paid') not null default 'new', total decimal(10, 2), key orders_customer (customer_id, status), constraint orders_customer_fk foreign key (customer_id) references customers (id))",
      "create view paid_orders as select * from orders where status = 'paid'",
      'create trigger orders_total before insert on orders for each row set new.total = coalesce(new.total, 0)',
      'create procedure order_count(in c int) select count(*) from orders where customer_id = c',
      "insert into customers (email) values ('a@example.com'), ('b@example.com'), ('c@example.com')",
      "insert into orders (customer_id, status, total) values (1, 'new', 10), (1, 'paid', 20), (2, 'paid', null), (3, 'new', 5)",
    ],
  },
];

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe.each(SERVERS)('backup on $engine', (server) => {
  const source = `aishell_test_h14_${suffix()}`;
  const target = `aishell_test_h14_${suffix()}`;
  let base: string;
  let sourceUrl: string;
  let targetUrl: string;
  const dir = path.join(home, `catalog-${server.engine}`);

  beforeAll(async () => {
    base = await server.base();
    await exec(server.admin(base), [server.create(source), server.create(target)]);
    sourceUrl = withDatabase(base, source);
    targetUrl = withDatabase(base, target);
    await exec(sourceUrl, server.schema);
  });
  afterAll(async () => {
    await exec(server.admin(base), [server.drop(source), server.drop(target)]);
  });

  it('creates a catalog entry with the row counts, verifies it on a scratch database, and restores it', async () => {
    const phases = new Set<string>();
    const entry = await backupCreate({
      ...place,
      dir,
      connection: sourceUrl,
      openSession,
      onProgress: (p) => phases.add(p.phase),
    });
    expect(entry).toMatchObject({
      engine: server.engine,
      format: server.engine === 'postgres' ? 'pg_dump-custom' : 'sql',
      database: source,
      connection: sourceUrl,
      tool: server.engine === 'postgres' ? 'pg_dump' : 'mariadb-dump',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      sizeBytes: expect.any(Number),
    });
    expect(entry.tables).toEqual(
      server.engine === 'postgres'
        ? [
            { name: 'public.customers', rows: 120 },
            { name: 'public.orders', rows: 500 },
          ]
        : [
            { name: 'customers', rows: 3 },
            { name: 'orders', rows: 4 },
          ],
    );
    expect([...phases]).toEqual(expect.arrayContaining(['counting', 'dumping']));
    expect(entry.path).toBe(path.join(dir, `${entry.id}${server.engine === 'postgres' ? '.dump' : '.sql'}`));
    expect((await backupList({ ...place, dir })).map((e) => e.id)).toEqual([entry.id]);

    const verified = await backupVerify({ ...place, dir, openSession });
    expect(verified).toMatchObject({ id: entry.id, ok: true, rowDifferences: [], schemaDifferences: [] });
    expect(verified.scratch).toMatch(/^aishell_scratch_[0-9a-f]{12} on /);
    expect(verified.tables).toEqual(entry.tables);

    const restored = await backupRestore({ ...place, dir, id: entry.id, to: targetUrl, openSession });
    expect(restored).toMatchObject({
      id: entry.id,
      tables: entry.tables,
      rowDifferences: [],
      replaced: false,
    });
  });

  it('refuses a restore into a database that holds tables unless confirmed', async () => {
    const entry = (await backupList({ ...place, dir })).at(-1);
    if (!entry) throw new Error('no backup');
    await expect(
      backupRestore({ ...place, dir, id: entry.id, to: targetUrl, openSession }),
    ).rejects.toMatchObject({
      code: 'BACKUP_TARGET_NOT_EMPTY',
      message: expect.stringMatching(
        /is not empty \(\d+ tables, views or sequences\): nothing was restored$/,
      ),
    });
    await exec(targetUrl, ['delete from orders']);
    const again = await backupRestore({
      ...place,
      dir,
      id: entry.id,
      to: targetUrl,
      openSession,
      confirmed: true,
    });
    expect(again).toMatchObject({ replaced: true, rowDifferences: [] });
  });

  it('refuses a client tool older than the server before anything starts, saying what to install', async () => {
    const bin = mkdtempSync(path.join(tmpdir(), 'aishell-old-tools-'));
    const tool = server.engine === 'postgres' ? 'pg_dump' : 'mariadb-dump';
    const old =
      server.engine === 'postgres'
        ? 'pg_dump (PostgreSQL) 12.22'
        : 'mariadb-dump  Ver 10.19 Distrib 5.5.68-MariaDB, for Linux';
    writeFileSync(path.join(bin, tool), `#!/bin/sh\necho "${old}"\n`, { mode: 0o755 });
    const catalog = path.join(home, `catalog-old-${server.engine}`);
    const error = await backupCreate({
      ...place,
      env: { ...env, AISHELL_BACKUP_BIN: bin },
      dir: catalog,
      connection: sourceUrl,
      openSession,
    }).then(
      () => ({}) as { code?: string; hint?: string },
      (e: unknown) => e as { code?: string; hint?: string },
    );
    expect(error).toMatchObject({ code: 'BACKUP_TOOL_TOO_OLD' });
    expect(error.hint).toMatch(server.engine === 'postgres' ? /postgresql-client-15/ : /MariaDB 10's client/);
    expect(await backupList({ ...place, dir: catalog })).toEqual([]);
    rmSync(bin, { recursive: true, force: true });
  });

  it('refuses a damaged archive by its checksum before restoring anything', async () => {
    const entry = (await backupList({ ...place, dir })).at(-1);
    if (!entry) throw new Error('no backup');
    const bytes = readFileSync(entry.path);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
    writeFileSync(entry.path, bytes);
    await expect(backupVerify({ ...place, dir, id: entry.id, openSession })).rejects.toMatchObject({
      code: 'BACKUP_CHECKSUM',
      message: expect.stringContaining(`the archive of ${entry.id} is damaged`),
    });
    await expect(
      backupRestore({ ...place, dir, id: entry.id, to: targetUrl, openSession, confirmed: true }),
    ).rejects.toMatchObject({ code: 'BACKUP_CHECKSUM' });
  });
});

describe.each(['sqlite', 'pglite'] as const)('backup on %s', (engine) => {
  const dir = path.join(home, `catalog-${engine}`);
  const files = mkdtempSync(path.join(tmpdir(), `aishell-backup-${engine}-`));
  const url = (name: string) => `${engine}://${path.join(files, name)}`;
  afterAll(() => rmSync(files, { recursive: true, force: true }));

  it('creates, verifies and restores, and refuses an existing target unless confirmed', async () => {
    await exec(url(engine === 'sqlite' ? 'shop.db' : 'shop'), [
      'create table customers (id integer primary key, name text not null)',
      'create table orders (id integer primary key, customer_id integer not null references customers (id), total real)',
      'create index orders_customer on orders (customer_id)',
      'create view big_orders as select * from orders where total > 10',
      "insert into customers (id, name) values (1, 'ann'), (2, 'bo'), (3, 'cy')",
      'insert into orders (id, customer_id, total) values (1, 1, 5), (2, 1, 50), (3, 3, 12)',
    ]);
    const entry = await backupCreate({
      ...place,
      dir,
      connection: url(engine === 'sqlite' ? 'shop.db' : 'shop'),
      openSession,
    });
    expect(entry).toMatchObject({
      engine,
      format: engine === 'sqlite' ? 'sqlite' : 'pglite-datadir',
      database: 'shop',
      tool: engine === 'sqlite' ? 'VACUUM INTO' : 'PGlite dumpDataDir',
    });
    const prefix = engine === 'pglite' ? 'public.' : '';
    expect(entry.tables).toEqual([
      { name: `${prefix}customers`, rows: 3 },
      { name: `${prefix}orders`, rows: 3 },
    ]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);

    const verified = await backupVerify({ ...place, dir, id: entry.id, openSession });
    expect(verified).toMatchObject({ ok: true, rowDifferences: [], schemaDifferences: [] });

    const to = url(engine === 'sqlite' ? 'restored.db' : 'restored');
    const restored = await backupRestore({ ...place, dir, id: entry.id, to, openSession });
    expect(restored).toMatchObject({ tables: entry.tables, replaced: false });
    await expect(backupRestore({ ...place, dir, id: entry.id, to, openSession })).rejects.toMatchObject({
      code: 'BACKUP_TARGET_NOT_EMPTY',
    });
    await exec(to, ['delete from orders']);
    const replaced = await backupRestore({ ...place, dir, id: entry.id, to, openSession, confirmed: true });
    expect(replaced).toMatchObject({ tables: entry.tables, replaced: true, rowDifferences: [] });
  }, 120_000);
});

describe('backup prune', () => {
  it('removes the oldest backups of a database from the catalog and disk', async () => {
    const dir = path.join(home, 'catalog-prune');
    const db = path.join(home, 'prune.db');
    await exec(`sqlite://${db}`, ['create table t (x)', 'insert into t values (1)']);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await backupCreate({ ...place, dir, connection: `sqlite://${db}`, openSession })).id);
    const dry = await backupPrune({ ...place, dir, keep: 1, dryRun: true });
    expect(dry.removed.map((e) => e.id)).toEqual(ids.slice(0, 2));
    expect(await backupList({ ...place, dir })).toHaveLength(3);
    const pruned = await backupPrune({ ...place, dir, keep: 1 });
    expect(pruned.removed.map((e) => e.id)).toEqual(ids.slice(0, 2));
    expect((await backupList({ ...place, dir })).map((e) => e.id)).toEqual([ids[2]]);
    expect(readdirSync(dir).sort()).toEqual([`${ids[2]}.json`, `${ids[2]}.schema.json`, `${ids[2]}.sqlite`]);
  });

  it('lists the default catalog under $XDG_DATA_HOME/aishell/backups', async () => {
    expect(paths.backupsDir).toBe(path.join(home, 'data', 'aishell', 'backups'));
    expect(await backupList(place)).toEqual([]);
  });
});
